#!/usr/bin/env bash
# A task that crashes its rank is named (issue 9): run 1 and run 2 die in task K with a message
# naming it; run 3 sets K aside as the likely culprit (TaskError naming it) and every other result
# equals the serial value; once the crash file is deleted, K runs again. Then exit() in a task.
# Usage: crash_report.sh PROGRAM MPIEXEC RANKS
set -uo pipefail
program=$1 mpiexec=$2 np=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
K=17 N=40
run() {  # run MODE OUT: status in $rc, stderr in $work/err
  timeout 120 "$mpiexec" --oversubscribe -n "$np" "$program" --tasks $N --crash-task $K --mode "$1" \
    --journal "$work/j.journal" --out "$2" >"$work/out.log" 2>"$work/err"
  rc=$?
}
expect_value() {  # every task but the ones named has its serial value i*i % 1009
  awk -v skip="$2" '{ if ($1 != skip && $2 != ($1 * $1) % 1009) bad++; n++ } END { exit (bad > 0) }' "$1" \
    || fail "wrong results in $1"
}

for attempt in 1 2; do
  run segv "$work/out$attempt"
  [[ $rc -ne 0 ]] || fail "run $attempt with a crashing task exited 0"
  grep -q "taskfarm: rank [0-9]* died of SIGSEGV in a for_each call while running task $K " "$work/err" \
    || { cat "$work/err"; fail "run $attempt: no report naming task $K"; }
  grep -q "^crash [0-9]* 0 [0-9]* SIGSEGV $K" "$work/j.journal.crashes" || fail "run $attempt: no crash record"
done

run segv "$work/out3"
[[ $rc -eq 4 ]] || { cat "$work/err"; fail "run 3 exited $rc, not 4 (TaskError for the culprit)"; }
grep -q "task $K failed: task $K was running when a rank died (SIGSEGV) in each of the last two runs" "$work/err" \
  || { cat "$work/err"; fail "run 3 did not name task $K as the likely culprit"; }
[[ $(wc -l <"$work/out3") -eq $((N - 1)) ]] || fail "run 3 wrote $(wc -l <"$work/out3") results, not $((N - 1))"
grep -q "^$K " "$work/out3" && fail "run 3 has a result for the culprit"
expect_value "$work/out3" $K

rm "$work/j.journal.crashes"
run none "$work/out4"
[[ $rc -eq 0 ]] || { cat "$work/err"; fail "run 4 (culprit fixed) exited $rc"; }
[[ $(wc -l <"$work/out4") -eq $N ]] || fail "run 4 wrote $(wc -l <"$work/out4") results, not $N"
expect_value "$work/out4" -1

rm -f "$work"/j.journal*
run exit "$work/out5"
[[ $rc -ne 0 ]] || fail "exit() in a task: the job exited 0"
grep -q "taskfarm: rank [0-9]* called exit() in a for_each call while running task $K " "$work/err" \
  || { cat "$work/err"; fail "exit() in task $K was not reported"; }
echo "crash report with $np rank(s): ok"
