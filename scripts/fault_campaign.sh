#!/usr/bin/env bash
# A random fault campaign (issue 9): scripts/fault_campaign.sh [TRIALS] (default 20).
# Each trial runs tests/fault/fault_farm (three journaled calls of 40 tasks of 10 ms, inputs
# cycling through task indices, padded structs with a serialize() and unpadded raw structs) on a
# random 2-4 ranks, strikes with a random fault at a random task, resumes at once on a random 1-4
# ranks (waiting for the journal's lock if the killed job's ranks still hold it), and compares
# every result with a serial run. The fault lands while a task of the struck rank is held, so a
# call is running when it does (see fault_farm.cpp).
#   faults: kill -9 of the root, of a worker, of mpirun; SIGTERM and SIGUSR1 to the root, to a
#   worker, to mpirun
# Prints one line per trial and the counts: exact, wrong (results differ from the serial run),
# failed (the resume exited non-zero), hung (a run or a rank still there 60 s after the fault, or
# a resume still running after 120 s), and the tasks re-executed (run by both runs) against the
# in-flight bound. Exit status 0 iff every trial was exact within the bound.
# Environment: FAULT_FARM (default build/tests/fault/taskfarm_fault_farm), MPIEXEC (mpirun),
# SEED (for $RANDOM; printed, so a failing campaign can be replayed).
set -u
trials=${1:-20}
root_dir=$(cd "$(dirname "$0")/.." && pwd)
program=${FAULT_FARM:-$root_dir/build/tests/fault/taskfarm_fault_farm}
mpiexec=${MPIEXEC:-mpirun}
[ -x "$program" ] || { echo "fault_campaign: no $program (build the target taskfarm_fault_farm, or set FAULT_FARM)"; exit 2; }
seed=${SEED:-$$}
RANDOM=$seed
tasks=40 task_ms=10 chunk=2 prefetch=2
total=$((3 * tasks))
# shellcheck source=../tests/fault/fault_lib.sh
. "$root_dir/tests/fault/fault_lib.sh"

faults=(kill9_root kill9_worker kill9_mpirun term_root term_worker term_mpirun usr1_root usr1_worker usr1_mpirun)
input_kinds=(padded unpadded indices)
base=$(mktemp -d "${TMPDIR:-/tmp}/taskfarm-campaign-XXXXXX")
trap 'work=$base; kill_leftovers; for d in "$base"/trial*; do work=$d; kill_leftovers; done; rm -rf "$base"' EXIT

"$program" --serial --tasks $tasks --out "$base/expected" || { echo "fault_campaign: the serial reference failed"; exit 2; }
exact=0 wrong=0 failed=0 hung=0 reexecuted=0 over_bound=0 most=0
start=$SECONDS
echo "fault campaign: $trials trials, seed $seed, $total tasks per run ($program)"

# trial N: one trial; prints its line and updates the counts.
trial() {
    local n=$1 ranks fault resume_ranks hold_at hold_rank verdict rc1 rc2 e1 e2 twice bound t0=$SECONDS
    ranks=$((2 + RANDOM % 3))
    fault=${faults[RANDOM % ${#faults[@]}]}
    inputs=${input_kinds[n % ${#input_kinds[@]}]}
    resume_ranks=$((1 + RANDOM % 4))
    hold_at=$((total * (10 + RANDOM % 61) / 100))
    hold_rank=$(hold_rank_for "$fault" "$ranks")
    work=$base/trial$n
    mkdir -p "$work/ctl"
    local what="trial $n: $ranks ranks, $inputs inputs, $fault at task $hold_at, resumed on $resume_ranks"

    fault_run 1 "$ranks" --hold-at "$hold_at" --hold-rank "$hold_rank" --control-dir "$work/ctl"
    if ! wait_for_file "$work/ctl/held" 60 "$mpirun_pid"; then
        echo "$what: HUNG (rank $hold_rank never reached the fault point)"; hung=$((hung + 1))
        kill_leftovers; cat "$work/run1.txt"; return
    fi
    strike "$fault" "$ranks"
    # (stderr off: bash would report the killed mpirun as "Killed" on it)
    if ! wait_gone "$mpirun_pid" 60 2>/dev/null; then
        echo "$what: HUNG (mpirun still running 60 s after the fault)"; hung=$((hung + 1)); kill_leftovers; return
    fi
    wait "$mpirun_pid" 2>/dev/null; rc1=$?

    # Resume at once, as a resubmitted job would: ranks of the killed job may still hold the lock.
    local first_pids=("$work"/log1/pid.*)
    fault_run 2 "$resume_ranks"
    if ! wait_gone "$mpirun_pid" 120; then
        echo "$what: HUNG (the resume still running after 120 s)"; hung=$((hung + 1)); kill_leftovers; return
    fi
    wait "$mpirun_pid"; rc2=$?
    local f
    for f in "${first_pids[@]}"; do
        if ! wait_gone "$(cat "$f")" 60; then
            echo "$what: HUNG (rank $(basename "$f") of run 1 still running 60 s after the fault)"
            hung=$((hung + 1)); kill_leftovers; return
        fi
    done

    e1=$(completed "$work/log1") e2=$(completed "$work/log2")
    twice=$((e1 + e2 - total))
    bound=$((ranks * (prefetch + 1) * chunk))
    clean_stop "$fault" && bound=0
    if [ "$rc2" -ne 0 ]; then
        verdict="FAILED (the resume exited $rc2: $(grep -m1 -E 'fault_farm|taskfarm' "$work/run2.txt"))"; failed=$((failed + 1))
    elif ! cmp -s "$base/expected" "$work/out2"; then
        verdict="WRONG (results differ from the serial run)"; wrong=$((wrong + 1))
    else
        verdict="exact"; exact=$((exact + 1))
    fi
    reexecuted=$((reexecuted + (twice > 0 ? twice : 0)))
    [ "$twice" -gt "$most" ] && most=$twice
    if [ "$twice" -lt 0 ] || [ "$twice" -gt "$bound" ]; then
        over_bound=$((over_bound + 1)); verdict="$verdict, OUT OF BOUND"
    fi
    echo "$what: $verdict (run 1 rc $rc1; $twice re-executed, bound $bound; $((SECONDS - t0)) s)"
    [ "$verdict" = exact ] && rm -rf "$work"
}

for n in $(seq "$trials"); do trial "$n"; done
elapsed=$((SECONDS - start))
echo "fault campaign: $trials trials in $elapsed s: $exact exact, $wrong wrong, $failed failed, $hung hung;" \
     "$reexecuted tasks re-executed in all (at most $most in a trial), $over_bound trials over the in-flight bound"
[ "$exact" -eq "$trials" ] && [ "$over_bound" -eq 0 ]
