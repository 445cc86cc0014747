#!/usr/bin/env bash
# One command: install what is missing, build everything (warnings are errors under CI=true) and
# run every test with CTest. Extra arguments go to ctest (e.g. -L mpi, -R farm).
# Under CI=true, and with no extra arguments, it also checks the format (scripts/check_format.sh)
# and runs the MPI tests under ASan+UBSan (scripts/sanitize.sh); either failing fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
ci=false
[[ "${CI:-}" == true ]] && ci=true
full=false
$ci && (($# == 0)) && full=true

# First, as it takes seconds; its verdict comes at the end, after the tests have run.
format=ok
$full && { bash scripts/check_format.sh || format=failed; }

werror=OFF
$ci && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTASKFARM_WARNINGS_AS_ERRORS=$werror >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure --timeout 300 "$@"

$full && bash scripts/sanitize.sh
if [[ $format == failed ]]; then
  echo "test.sh: the tests passed but the format check failed: run clang-format -i on the files" \
       "scripts/check_format.sh listed above (clang-format 14, as CI)" >&2
  exit 1
fi
