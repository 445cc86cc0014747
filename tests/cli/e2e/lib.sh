# Helpers for the end-to-end tests of the taskfarm command. Sourced by the scenario scripts,
# which CTest runs as: bash SCENARIO.sh TASKFARM_BINARY RANKS.
set -u

TASKFARM=${1:?usage: $0 TASKFARM_BINARY RANKS}
NP=${2:?usage: $0 TASKFARM_BINARY RANKS}

# What CI does not set: Open MPI as root, more ranks than cores, shared memory only.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl=self,vader
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_mpi_yield_when_idle=1
unset SLURM_CPUS_PER_TASK OMP_NUM_THREADS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/taskfarm-e2e-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1

FAILURES=0
fail() {
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}
expect_eq() {  # expect_eq WHAT EXPECTED ACTUAL
    if [ "$2" != "$3" ]; then fail "$1: expected '$2', got '$3'"; fi
}
expect_grep() {  # expect_grep FILE PATTERN (fixed string)
    grep -qF -- "$2" "$1" || { fail "$1 lacks '$2'"; echo "--- $1:" >&2; cat "$1" >&2; }
}
finish() {
    if [ "$FAILURES" -ne 0 ]; then
        echo "$FAILURES check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
}

# tf ARGS...: runs `mpirun -n NP taskfarm ARGS` with a hard time limit; stdout to out.txt,
# stderr to err.txt; sets RC.
tf() {
    timeout -k 5 90 mpirun -n "$NP" --oversubscribe "$TASKFARM" "$@" >out.txt 2>err.txt
    RC=$?
    if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then fail "mpirun timed out: taskfarm $*"; fi
}

# tf_background ARGS...: starts the run as the leader of its own session and process group, so
# that signals reach mpirun itself and `kill -9 -- -$PID` kills the whole job; sets PID. A
# watchdog kills the group after 90 s; tf_wait collects the exit status into RC.
tf_background() {
    setsid mpirun -n "$NP" --oversubscribe "$TASKFARM" "$@" >out.txt 2>err.txt &
    PID=$!
    # The watchdog polls rather than sleeping 90 s in one go: a sleeping child would outlive
    # the test and keep CTest waiting on its output pipe.
    (
        for _ in $(seq 900); do
            kill -0 "$PID" 2>/dev/null || exit 0
            sleep 0.1
        done
        kill -9 -- "-$PID" 2>/dev/null
    ) >/dev/null 2>&1 &
    WATCHDOG=$!
}
tf_wait() {
    wait "$PID"
    RC=$?
    wait "$WATCHDOG" 2>/dev/null
}

# The joblog's lines without its header.
joblog_rows() { tail -n +2 "$1"; }
# joblog_field FILE SEQ COLUMN: a column (1-based, 7 = Exitval, 8 = Signal, 9 = Command) of task SEQ.
joblog_field() { awk -F'\t' -v s="$2" -v c="$3" 'NR > 1 && $1 == s { print $c }' "$1"; }
# Seq values that occur more than once.
joblog_duplicates() { joblog_rows "$1" | cut -f1 | sort | uniq -d; }

# wait_for_lines FILE N SECONDS: waits until FILE has at least N lines; false if it never does.
wait_for_lines() {
    local deadline=$((SECONDS + $3))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; then return 0; fi
        sleep 0.1
    done
    return 1
}

# wait_gone SECONDS PID...: waits until none of the processes exists; false if some still do.
wait_gone() {
    local deadline=$((SECONDS + $1))
    shift
    while [ "$SECONDS" -lt "$deadline" ]; do
        local alive=0 p
        for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && return 0
        sleep 0.1
    done
    return 1
}

# wait_no_match SECONDS PATTERN: waits until no process's command line matches PATTERN (pgrep -f).
wait_no_match() {
    local deadline=$((SECONDS + $1))
    while [ "$SECONDS" -lt "$deadline" ]; do
        pgrep -f -- "$2" >/dev/null || return 0
        sleep 0.1
    done
    return 1
}
