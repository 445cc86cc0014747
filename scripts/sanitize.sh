#!/usr/bin/env bash
# The sanitizer runs, through the presets in CMakePresets.json. Fails on any sanitizer report.
#   bash scripts/sanitize.sh          ASan+UBSan+LSan: the engine, its MPI tests on 1-4 ranks x 1-2
#                                     threads and its unit tests (preset asan; CI runs this).
#   bash scripts/sanitize.sh thread   TSan: the block pool, thread team and trace recorder tests,
#                                     built with clang and LLVM's OpenMP, checked with Archer
#                                     (libgomp is not instrumented: TSan with GCC's OpenMP reports
#                                     every fork/join as a race).
# Extra arguments go to ctest (e.g. -R test_farm_basic).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=address
if [[ ${1:-} == thread || ${1:-} == address ]]; then
  mode=$1
  shift
fi
preset=asan
[[ $mode == thread ]] && preset=tsan

deps=build
[[ $mode == thread ]] && deps=tsan
TASKFARM_DEPS=$deps bash scripts/install-deps.sh

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$(nproc)"
if [[ $mode == address ]]; then  # the preset preloads it: Open MPI's components stay loaded for LSan
  cc -shared -fPIC -O1 -o "build/$preset/libkeep_modules_loaded.so" cmake/suppressions/keep_modules_loaded.c
fi

# ASan/LSan and TSan reports go to files of their own (one per process, <log>.<pid>), so that
# none is lost in a rank's output; UBSan ignores log_path when combined with ASan, so its
# "runtime error:" lines are looked for in the tests' output (it halts: the test fails). The
# presets add the other options (leak suppressions for Open MPI, halt on the first report).
logs=$PWD/build/$preset/sanitizer-logs
output=$PWD/build/$preset/sanitize-ctest.log
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="log_path=$logs/asan" TSAN_OPTIONS="log_path=$logs/tsan"

status=0
ctest --preset "$preset" -j"$(nproc)" "$@" 2>&1 | tee "$output" || status=$?

shopt -s nullglob
reports=("$logs"/*)
if ((${#reports[@]} > 0)); then
  for r in "${reports[@]}"; do
    echo "===== $r"
    cat "$r"
  done
  echo "sanitize: ${#reports[@]} sanitizer report(s) above (summaries:)" >&2
  grep -h '^SUMMARY:' "${reports[@]}" | sort | uniq -c >&2 || true
  exit 1
fi
if grep -q 'runtime error:' "$output"; then
  echo "sanitize: UBSan reports (in the test output above):" >&2
  grep 'runtime error:' "$output" | sort | uniq -c >&2
  exit 1
fi
if ((status != 0)); then
  echo "sanitize: tests failed under the $preset preset (no sanitizer report)" >&2
  exit "$status"
fi
echo "sanitize: $preset clean"
