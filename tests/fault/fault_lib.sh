# Shared by fault_inject.sh (one scenario, a CTest test) and scripts/fault_campaign.sh (random
# trials): start fault_farm under mpirun with a journal and a hold, strike while the hold keeps a
# call running, wait for the job to end, resume, compare with the serial reference.
# The caller sets: program mpiexec work tasks task_ms chunk prefetch inputs.
# shellcheck shell=bash

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMP_NUM_THREADS=1 OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_mpi_yield_when_idle=1

completed() { cat "$1"/exec.* 2>/dev/null | wc -l; }
alive() { kill -0 "$1" 2>/dev/null; }

# fault_run N RANKS [ARGS...]: run N of fault_farm in the background (pid in mpirun_pid), logging
# to $work/logN, results to $work/outN, output to $work/runN.txt.
fault_run() {
    local n=$1 ranks=$2
    shift 2
    mkdir -p "$work/log$n"
    "$mpiexec" -n "$ranks" --oversubscribe "$program" --journal "$work/journal" --tasks "$tasks" \
        --task-ms "$task_ms" --inputs "$inputs" --out "$work/out$n" --log-dir "$work/log$n" "$@" \
        >"$work/run$n.txt" 2>&1 &
    mpirun_pid=$!
}

# wait_for_file PATH SECONDS PID: 0 once PATH exists, 1 if SECONDS pass, 2 if PID ends first.
wait_for_file() {
    local path=$1 steps=$(($2 * 50)) pid=$3
    for _ in $(seq "$steps"); do
        [ -e "$path" ] && return 0
        alive "$pid" || { [ -e "$path" ] && return 0; return 2; }
        sleep 0.02
    done
    return 1
}

# wait_gone PID SECONDS: 0 once PID has ended, 1 if it still runs after SECONDS.
wait_gone() {
    local pid=$1 steps=$(($2 * 10))
    for _ in $(seq "$steps"); do alive "$pid" || return 0; sleep 0.1; done
    ! alive "$pid"
}

# hold_rank_for FAULT RANKS: the rank that holds (and, for a kill or signal of a rank, is struck).
hold_rank_for() {
    case $1 in
        *_root) echo 0 ;;
        *) echo $(($2 - 1)) ;;  # a worker (the root itself on one rank), or for mpirun any rank
    esac
}

# strike FAULT RANKS: the fault, once $work/ctl/held exists. For a signal, waits (up to 30 s) until
# the held rank has seen it, then lets the held task go on: the signal arrived during the call.
# FAULT: kill9_root | kill9_worker | kill9_mpirun | {term,usr1}_{root,worker,mpirun}
strike() {
    local fault=$1 ranks=$2 target pid signal
    target=$(hold_rank_for "$fault" "$ranks")
    case $fault in
        *_mpirun) pid=$mpirun_pid ;;
        *) pid=$(cat "$work/log1/pid.$target") ;;
    esac
    case $fault in
        kill9_*) signal=KILL ;;
        term_*) signal=TERM ;;
        usr1_*) signal=USR1 ;;
        *) echo "unknown fault $fault" >&2; return 1 ;;
    esac
    kill -s "$signal" "$pid"
    if [ "$signal" != KILL ]; then
        wait_for_file "$work/ctl/signalled" 30 "$mpirun_pid" || true
    fi
    touch "$work/ctl/go"
}

# clean_stop FAULT: whether the library stops the job itself (Interrupted, exit status 3) and
# loses nothing that ran. mpirun's own SIGTERM handling kills the ranks, so it is not one.
clean_stop() {
    case $1 in term_root | term_worker | usr1_*) return 0 ;; *) return 1 ;; esac
}

# kill_leftovers: no process of ours survives the script.
kill_leftovers() {
    local f
    for f in "$work"/log*/pid.*; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
    [ -n "${mpirun_pid:-}" ] && kill -9 "$mpirun_pid" 2>/dev/null
    return 0
}
