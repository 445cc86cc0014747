#!/usr/bin/env bash
# One command: install what is missing, build (Release), and run the demo under mpirun on every
# core of this machine. Extra arguments go to the demo (e.g. --tasks 20000).
set -euo pipefail
cd "$(dirname "$0")/.."
TASKFARM_DEPS=build bash scripts/install-deps.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DTASKFARM_BUILD_TESTS=OFF >/dev/null
cmake --build build-release -j"$(nproc)" --target taskfarm-demo
ranks=${RANKS:-$(nproc)}
if [[ $(id -u) -eq 0 ]]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
set -x
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} mpirun -n "$ranks" --oversubscribe build-release/apps/demo/taskfarm-demo "$@"
