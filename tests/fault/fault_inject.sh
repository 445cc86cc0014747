#!/usr/bin/env bash
# Fault injection with real processes (issue 4). Starts fault_farm under mpirun with a journal,
# injects SCENARIO at a random point mid-run, reruns with the same journal, and checks that
#  - the faulty run ended (no hang) the way the scenario should,
#  - the rerun's results equal the serial reference exactly,
#  - the tasks run twice are no more than were in flight when the fault hit.
# Usage: fault_inject.sh PROGRAM MPIEXEC SCENARIO RANKS
#   SCENARIO: kill9_worker | kill9_mpirun | term_root | usr1_mpirun | term_mpirun
set -u
program=$1 mpiexec=$2 scenario=$3 ranks=$4
tasks=60           # per call; three calls
task_ms=20         # 3.6 s of tasks in all: the fault lands mid-run even on 4 ranks
chunk=2 prefetch=2 # as fault_farm sets them (prefetch: the library's default)

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMP_NUM_THREADS=1 OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_mpi_yield_when_idle=1

work=$(mktemp -d "${TMPDIR:-/tmp}/taskfarm-fault-XXXXXX")
cleanup() {
    # Whatever the outcome, leave no process of ours behind.
    for f in "$work"/log1/pid.*; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
    [ -n "${mpirun_pid:-}" ] && kill -9 "$mpirun_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL [$scenario, $ranks ranks]: $*"; echo "--- run 1 output:"; cat "$work/run1.txt" 2>/dev/null; exit 1; }
completed() { cat "$1"/exec.* 2>/dev/null | wc -l; }
alive() { kill -0 "$1" 2>/dev/null; }

"$program" --serial --tasks $tasks --out "$work/expected" || fail "serial reference"
mkdir "$work/log1" "$work/log2"
run() {  # run N: mpirun in the background, its pid in mpirun_pid
    "$mpiexec" -n "$ranks" --oversubscribe "$program" --journal "$work/journal" --tasks $tasks \
        --task-ms $task_ms --out "$work/out$1" --log-dir "$work/log$1" >"$work/run$1.txt" 2>&1 &
    mpirun_pid=$!
}

# Fault point: after a random share (10-70 %) of the 3 x tasks tasks.
total=$((3 * tasks))
target=$(( total * (10 + RANDOM % 61) / 100 ))
run 1
for _ in $(seq 3000); do  # at most 60 s
    [ "$(completed "$work/log1")" -ge "$target" ] && break
    alive "$mpirun_pid" || fail "run 1 ended before the fault point"
    sleep 0.02
done
[ "$(completed "$work/log1")" -ge "$target" ] || fail "run 1 never reached $target tasks"

at_fault=$(completed "$work/log1")
[ "$at_fault" -lt $((total - 2 * ranks * chunk)) ] || fail "the fault came too late ($at_fault of $total tasks done)"
root_pid=$(cat "$work/log1/pid.0")
last_pid=$(cat "$work/log1/pid.$((ranks - 1))")
case $scenario in
    kill9_worker) kill -9 "$last_pid" ;;   # on 1 rank the only rank is the root
    kill9_mpirun) kill -9 "$mpirun_pid" ;;
    term_root) kill -TERM "$root_pid" ;;
    usr1_mpirun) kill -USR1 "$mpirun_pid" ;;
    term_mpirun) kill -TERM "$mpirun_pid" ;;
    *) fail "unknown scenario" ;;
esac

# The job must end by itself: mpirun within 60 s, every rank within 60 s (an orphaned rank
# would hold the journal's lock).
for _ in $(seq 600); do alive "$mpirun_pid" || break; sleep 0.1; done
alive "$mpirun_pid" && fail "mpirun still running 60 s after the fault"
wait "$mpirun_pid" 2>/dev/null; rc1=$?
[ "$scenario" = kill9_mpirun ] || [ "$rc1" -ne 0 ] || fail "run 1 exited 0 after the fault"
for f in "$work"/log1/pid.*; do
    for _ in $(seq 600); do alive "$(cat "$f")" || break; sleep 0.1; done
    alive "$(cat "$f")" && fail "rank $(basename "$f") still running 60 s after the fault"
done
case $scenario in
    term_root | usr1_mpirun)  # the library's clean stop: Interrupted on the ranks, exit status 3
        grep -q "interrupted by SIG.*run again with the same journal to resume" "$work/run1.txt" ||
            fail "no Interrupted message" ;;
esac

run 2
for _ in $(seq 1200); do alive "$mpirun_pid" || break; sleep 0.1; done
alive "$mpirun_pid" && fail "run 2 still running after 120 s"
wait "$mpirun_pid"; rc2=$?
[ "$rc2" -eq 0 ] || { cat "$work/run2.txt"; fail "run 2 exited $rc2"; }
cmp -s "$work/expected" "$work/out2" || { diff "$work/expected" "$work/out2" | head; fail "resumed results differ from serial"; }

# Tasks run in both runs: at most what was in flight (every rank's running chunk and the ones
# queued behind it); the clean stops lose nothing that ran.
e1=$(completed "$work/log1") e2=$(completed "$work/log2")
twice=$((e1 + e2 - total))
bound=$((ranks * (prefetch + 1) * chunk))
case $scenario in term_root | usr1_mpirun) bound=0 ;; esac
[ "$twice" -ge 0 ] || fail "fewer executions ($e1 + $e2) than tasks ($total): a task was lost"
[ "$twice" -le "$bound" ] || fail "$twice tasks ran twice; at most $bound were in flight"
echo "PASS [$scenario, $ranks ranks]: fault after $at_fault of $total tasks ($e1 in all) (rc $rc1), resumed with $e2, $twice ran twice (bound $bound)"
