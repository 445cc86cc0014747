#!/usr/bin/env bash
# The sanitizer runs (not part of CI: two more builds of the library would double its time).
#   address,undefined: the library's MPI tests on 1-4 ranks x 1-2 threads, and the unit tests.
#   thread: the threaded engine parts (block pool, thread team, trace recorder) built with clang
#           and LLVM's OpenMP, checked with Archer (libgomp is not instrumented, so TSan with GCC's
#           OpenMP reports every fork/join as a race).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTASKFARM_SANITIZE=address,undefined -DTASKFARM_BUILD_APPS=OFF >/dev/null
cmake --build build-asan -j"$jobs" --target test_engine_parts test_farm_basic test_farm_types test_farm_scheduling \
  test_farm_observe test_farm_reliab_retry test_farm_reliab_journal
# Open MPI's own allocations at exit are not ours to fix.
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -R 'test_engine_parts|test_farm_(basic|types|scheduling|observe|reliab)|BlockPool|ThreadTeam|ChunkPolicy|TaskRanges|Codec|Wire'

if ! command -v clang++ >/dev/null || [[ ! -e /usr/lib/llvm-14/lib/libarcher.so ]]; then
  [[ $(id -u) -eq 0 ]] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libomp-14-dev >/dev/null
fi
CC=clang CXX=clang++ cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DTASKFARM_SANITIZE=thread \
  -DTASKFARM_BUILD_APPS=OFF >/dev/null
cmake --build build-tsan -j"$jobs" --target test_engine_parts test_trace
export OMP_TOOL_LIBRARIES=/usr/lib/llvm-14/lib/libarcher.so OMP_NUM_THREADS=4
# libomp's own thread start-up (a mutex it initializes in a new thread) is reported once per
# team; suppress only that, inside libomp.
export TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/cmake/suppressions/tsan-libomp.supp"
build-tsan/tests/unit/test_engine_parts
build-tsan/tests/trace/test_trace
echo "sanitize: all clean"
