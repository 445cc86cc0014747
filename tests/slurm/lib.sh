# shellcheck shell=bash
# Helpers for the SLURM end-to-end test (sourced by run-slurm-tests.sh): checks that count
# failures, sbatch submission, and polling "scontrol show job -o" until jobs are final.
# Every wait here has a deadline, so a stuck job fails the test instead of hanging it.

failures=0
checks=0

pass() { checks=$((checks + 1)); echo "PASS: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }

# check DESCRIPTION COMMAND...: run COMMAND, record a pass or a failure.
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
  if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# show_file FILE: print a file (job output) into the test log, to explain a failure.
show_file() {
  echo "----- $1"
  if [[ -r $1 ]]; then sed -n '1,60p' "$1"; else echo "(missing)"; fi
  echo "-----"
}

# submit [SBATCH OPTIONS...] SCRIPT [ARGS...]: sbatch, print the job id.
submit() {
  local id
  id=$(timeout 30 sbatch --parsable "$@") || { echo "sbatch $* failed" >&2; return 1; }
  echo "${id%%;*}"
}

# job_records ID: one line per job record (every array element too):
#   JOBID ARRAYTASKID STATE EXITCODE RESTARTS
job_records() {
  timeout 10 scontrol show job -o "$1" 2>/dev/null | awk '{
      delete v
      for (i = 1; i <= NF; i++) { eq = index($i, "="); if (eq) v[substr($i, 1, eq - 1)] = substr($i, eq + 1) }
      print v["JobId"], (v["ArrayTaskId"] == "" ? "-" : v["ArrayTaskId"]), v["JobState"], v["ExitCode"], v["Restarts"]
    }'
}

# is_final STATE: the job will not run again by itself. REQUEUED/PENDING/RUNNING/COMPLETING are not.
is_final() {
  case $1 in
    COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED) return 0 ;;
    *) return 1 ;;
  esac
}

# all_final ID...: every record of every job is final.
all_final() {
  local id records state
  for id in "$@"; do
    records=$(job_records "$id")
    [[ -n $records ]] || return 1
    while read -r _ _ state _ _; do
      is_final "$state" || return 1
    done <<<"$records"
  done
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll every 0.25 s until COMMAND succeeds.
wait_until() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      fail "timed out after ${seconds}s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

# wait_jobs SECONDS ID...: wait until every job is final; on timeout, cancel them (so the
# cluster stops cleanly) and show where they were.
wait_jobs() {
  local seconds=$1; shift
  if ! wait_until "$seconds" "jobs $* to finish" all_final "$@"; then
    local id
    for id in "$@"; do job_records "$id"; done
    timeout 10 scancel "$@" 2>/dev/null
    return 1
  fi
}

# job_state ID: "STATE EXITCODE" of a single (non-array) job.
job_state() { job_records "$1" | awk 'NR == 1 { print $3, $4 }'; }

# check_completed DESCRIPTION ID OUTPUT_FILE: the job COMPLETED with exit 0:0; shows its output if not.
check_completed() {
  local state
  state=$(job_state "$2")
  if [[ $state == "COMPLETED 0:0" ]]; then
    pass "$1: COMPLETED 0:0"
  else
    fail "$1: job $2 is '$state', expected 'COMPLETED 0:0'"
    show_file "$3"
  fi
}
