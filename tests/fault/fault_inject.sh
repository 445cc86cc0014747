#!/usr/bin/env bash
# Fault injection with real processes (issues 4, 9). Starts fault_farm under mpirun with a journal,
# injects SCENARIO at a random task while a task of the struck rank is held (so a call is running
# when the fault lands, whatever the machine's load: no sleeps decide it), reruns with the same
# journal, and checks that
#  - the faulty run ended (no hang) the way the scenario should,
#  - the rerun's results equal the serial reference exactly,
#  - the tasks run twice are no more than were in flight when the fault hit.
# Usage: fault_inject.sh PROGRAM MPIEXEC SCENARIO RANKS
#   SCENARIO: kill9_worker | kill9_mpirun | term_root | usr1_mpirun | term_mpirun
set -u
program=$1 mpiexec=$2 scenario=$3 ranks=$4
tasks=60           # per call; three calls
task_ms=20         # 3.6 s of tasks in all
chunk=2 prefetch=2 # as fault_farm sets them
inputs=indices
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=fault_lib.sh
. "$here/fault_lib.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/taskfarm-fault-XXXXXX")
cleanup() { kill_leftovers; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL [$scenario, $ranks ranks]: $*"; echo "--- run 1 output:"; cat "$work/run1.txt" 2>/dev/null; exit 1; }

"$program" --serial --tasks $tasks --out "$work/expected" || fail "serial reference"
mkdir "$work/ctl"

# The fault point: the first task at or past a random 10-70 % of the 3 x tasks tasks that the
# struck rank runs.
total=$((3 * tasks))
hold_at=$(( total * (10 + RANDOM % 61) / 100 ))
hold_rank=$(hold_rank_for "$scenario" "$ranks")
fault_run 1 "$ranks" --hold-at "$hold_at" --hold-rank "$hold_rank" --control-dir "$work/ctl"
wait_for_file "$work/ctl/held" 60 "$mpirun_pid" || fail "rank $hold_rank never reached task $hold_at"
at_fault=$(completed "$work/log1")
strike "$scenario" "$ranks" || fail "unknown scenario"

# The job must end by itself: mpirun within 60 s, every rank within 60 s (an orphaned rank
# would hold the journal's lock).
wait_gone "$mpirun_pid" 60 || fail "mpirun still running 60 s after the fault"
wait "$mpirun_pid" 2>/dev/null; rc1=$?
[ "$scenario" = kill9_mpirun ] || [ "$rc1" -ne 0 ] || fail "run 1 exited 0 after the fault"
for f in "$work"/log1/pid.*; do
    wait_gone "$(cat "$f")" 60 || fail "rank $(basename "$f") still running 60 s after the fault"
done
if clean_stop "$scenario"; then
    grep -q "interrupted by SIG.*run again with the same journal to resume" "$work/run1.txt" ||
        fail "no Interrupted message"
    [ "$rc1" -eq 3 ] || fail "run 1 exited $rc1, not 3 (Interrupted)"
fi

fault_run 2 "$ranks"
wait_gone "$mpirun_pid" 120 || fail "run 2 still running after 120 s"
wait "$mpirun_pid"; rc2=$?
[ "$rc2" -eq 0 ] || { cat "$work/run2.txt"; fail "run 2 exited $rc2"; }
cmp -s "$work/expected" "$work/out2" || { diff "$work/expected" "$work/out2" | head; fail "resumed results differ from serial"; }

# Tasks run in both runs: at most what was in flight (every rank's running chunk and the ones
# queued behind it); the clean stops lose nothing that ran.
e1=$(completed "$work/log1") e2=$(completed "$work/log2")
twice=$((e1 + e2 - total))
bound=$((ranks * (prefetch + 1) * chunk))
# With groups (TASKFARM_GROUP_SIZE) a sub-master holds 2 x prefetch group blocks of chunk tasks
# per rank of its group, and a block is accepted only once all of it is in: the root's own
# blocks, and all of those.
if [ "${TASKFARM_GROUP_SIZE:-1}" -gt 1 ]; then bound=$(((prefetch + 1 + 2 * prefetch * (ranks - 1)) * chunk)); fi
clean_stop "$scenario" && bound=0
[ "$twice" -ge 0 ] || fail "fewer executions ($e1 + $e2) than tasks ($total): a task was lost"
[ "$twice" -le "$bound" ] || fail "$twice tasks ran twice; at most $bound were in flight"
echo "PASS [$scenario, $ranks ranks]: held at task $hold_at on rank $hold_rank after $at_fault of $total tasks ($e1 in all) (rc $rc1), resumed with $e2, $twice ran twice (bound $bound)"
