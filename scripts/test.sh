#!/usr/bin/env bash
# One command: install what is missing, build everything (warnings are errors under CI=true) and
# run every test with CTest. Extra arguments go to ctest (e.g. -L mpi, -R farm).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
werror=OFF
[[ "${CI:-}" == true ]] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTASKFARM_WARNINGS_AS_ERRORS=$werror >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure --timeout 300 "$@"
