# shellcheck shell=bash
# Checks of the sbatch templates in slurm/ (sourced by run-slurm-tests.sh, runs in the work dir).
# Each template is submitted unmodified, as a user would, with the binaries' paths in the
# environment (sbatch exports it to the job). Jobs are submitted together and checked afterwards.

# joblog_rows JOBLOG: the joblog's task rows (without the header), "SEQ EXITVAL" sorted by SEQ.
joblog_rows() { awk -F'\t' 'NR > 1 { print $1, $7 }' "$1" 2>/dev/null | sort -n; }

# expected_rows N: "1 0" ... "N 0": tasks 1..N each logged once, exit value 0.
expected_rows() { local i; for ((i = 1; i <= $1; i++)); do echo "$i 0"; done; }

# write_marker_tasks FILE N MARKERS [SLEEP [STARTS]]: a task file of N tasks, task i on line i
# (task numbers are line numbers, comments and blank lines counted, as in GNU parallel; the CLI's
# own tests cover those); task i appends "i" to MARKERS when it has finished, so a task that runs
# twice shows, and to STARTS (if given) when it starts, so a task cut short and run again shows too.
write_marker_tasks() {
  local file=$1 n=$2 markers=$3 pause=${4:-0} starts=${5:-} i
  for ((i = 1; i <= n; i++)); do
    echo "${starts:+echo $i >>$starts && }sleep $pause && echo task $i output && echo $i >>$markers"
  done >"$file"
}

# markers_once FILE N: every number 1..N appears exactly once in FILE.
markers_once() { [[ $(sort -n "$1" 2>/dev/null) == "$(seq "$2")" ]]; }

# restart_count ID: the Restarts field of a job.
restart_count() { job_records "$1" | awk 'NR == 1 { print $5 }'; }

# requeued_and_pending ID: the job was requeued once and waits to run again.
requeued_and_pending() { [[ $(job_records "$1" | awk 'NR == 1 { print $3, $5 }') == "PENDING 1" ]]; }

# joblog_has_rows JOBLOG N: at least N tasks are logged (the farm is running and mid-way).
joblog_has_rows() { (($(joblog_rows "$1" | wc -l) >= $2)); }

# interrupt_walltime_job ID JOBLOG: wait until the farm is mid-way, then send the walltime warning
# signal the way Slurm's --signal=B:USR1 does (to the batch shell only), without waiting minutes.
# On failure the job is cancelled, so it cannot hold up the rest.
interrupt_walltime_job() {
  if wait_until 60 "job $1 to log its first tasks" joblog_has_rows "$2" 2 &&
    timeout 10 scancel --batch --signal=USR1 "$1"; then
    return 0
  fi
  timeout 10 scancel "$1"
  return 1
}

# run_template_checks SLURM_DIR DEMO CLI: DEMO or CLI may be empty (that part is skipped).
run_template_checks() {
  local slurm_dir=$1 demo=$2 cli=$3
  local library_job='' farm_job='' array_job='' requeue_job='' resubmit_job=''
  if [[ -n $demo ]]; then
    echo "== template: library-job.sbatch"
    library_job=$(TASKFARM_DEMO=$demo submit "$slurm_dir/library-job.sbatch" --tasks 400) || fail "sbatch library-job.sbatch"
  fi
  if [[ -n $cli ]]; then
    echo "== templates: command-farm, job-array, walltime-safe (requeue and resubmit)"
    export TASKFARM=$cli
    write_marker_tasks farm-tasks.txt 12 farm-markers.txt
    farm_job=$(submit --ntasks=3 "$slurm_dir/command-farm.sbatch" farm-tasks.txt) || fail "sbatch command-farm.sbatch"
    write_marker_tasks array-tasks.txt 10 array-markers.txt
    array_job=$(submit "$slurm_dir/job-array.sbatch" array-tasks.txt) || fail "sbatch job-array.sbatch"
    # Long enough (16 x 1 s on 2 slots) that the signal comes mid-way; GRACE lets running tasks
    # finish, so nothing is killed and no task is logged twice. srun gives the signal to the
    # running commands too: they must not die of it (a task started twice would show it).
    write_marker_tasks requeue-tasks.txt 16 requeue-markers.txt 1 requeue-starts.txt
    requeue_job=$(GRACE=30 submit --ntasks=2 "$slurm_dir/walltime-safe.sbatch" requeue-tasks.txt) ||
      fail "sbatch walltime-safe.sbatch (requeue)"
    write_marker_tasks resubmit-tasks.txt 16 resubmit-markers.txt 1 resubmit-starts.txt
    resubmit_job=$(GRACE=30 RESTART_BY=resubmit submit --ntasks=2 "$slurm_dir/walltime-safe.sbatch" resubmit-tasks.txt) ||
      fail "sbatch walltime-safe.sbatch (resubmit)"
    unset TASKFARM
  fi

  # Signal the walltime jobs first, while their farms are mid-way; check the others meanwhile.
  if [[ -n $requeue_job ]]; then
    interrupt_walltime_job "$requeue_job" requeue-tasks.txt.joblog || requeue_job=''
  fi
  if [[ -n $resubmit_job ]]; then
    interrupt_walltime_job "$resubmit_job" resubmit-tasks.txt.joblog || resubmit_job=''
  fi

  [[ -n $library_job ]] && check_library_job "$library_job"
  [[ -n $farm_job ]] && check_command_farm "$farm_job" "$slurm_dir" "$cli"
  [[ -n $array_job ]] && check_job_array "$array_job"
  [[ -n $requeue_job ]] && check_walltime_requeue "$requeue_job"
  [[ -n $resubmit_job ]] && check_walltime_resubmit "$resubmit_job"
  return 0
}

# check_demo_output FILE: the demo ran with the shape the template asks for (2 ranks x 2 OpenMP
# threads, which the farm must have taken from SLURM_CPUS_PER_TASK/OMP_NUM_THREADS), every task
# was accounted for, and its answer matched the exact integral (the demo checks it itself).
check_demo_output() {
  check "library-job: demo ran 400 tasks on 2 ranks x 2 threads" \
    grep -q '^taskfarm-demo: 400 tasks x [0-9]* samples on 2 ranks x 2 threads$' "$1"
  check "library-job: demo's integral is correct" grep -q '^integral of exp(-x^2) on \[0,1\]: .*: correct$' "$1"
}

check_library_job() {
  local job=$1 out=taskfarm-library-$1.out
  wait_jobs 90 "$job"
  check_completed "library-job.sbatch" "$job" "$out"
  check_demo_output "$out"
}

check_command_farm() {
  local job=$1 slurm_dir=$2 cli=$3 out=taskfarm-commands-$1.out again
  wait_jobs 90 "$job"
  check_completed "command-farm.sbatch" "$job" "$out"
  check_eq "command-farm: joblog has tasks 1-12, exit 0" "$(expected_rows 12)" "$(joblog_rows farm-tasks.txt.joblog)"
  check "command-farm: every task ran once" markers_once farm-markers.txt 12
  check_eq "command-farm: task 7's output file" "task 7 output" "$(cat farm-tasks.txt.output/7.out 2>/dev/null)"
  # The same submission again resumes from the joblog: nothing is left, nothing runs twice.
  again=$(TASKFARM=$cli submit --ntasks=3 "$slurm_dir/command-farm.sbatch" farm-tasks.txt) || { fail "resubmit command-farm"; return; }
  wait_jobs 90 "$again"
  check_completed "command-farm resubmitted" "$again" "taskfarm-commands-$again.out"
  check "command-farm resubmitted: no task ran twice" markers_once farm-markers.txt 12
  check_eq "command-farm resubmitted: joblog unchanged" "$(expected_rows 12)" "$(joblog_rows farm-tasks.txt.joblog)"
}

# part_rows K N TOTAL: "SEQ 0" for the tasks K, K+N, ... <= TOTAL (what --part K/N runs).
part_rows() { local seq; for ((seq = $1; seq <= $3; seq += $2)); do echo "$seq 0"; done; }

check_job_array() {
  local job=$1 element part
  wait_jobs 90 "$job"
  check_eq "job-array: 4 elements COMPLETED 0:0" "$(printf '%s COMPLETED 0:0\n' 0 1 2 3)" \
    "$(job_records "$job" | awk '{ print $2, $3, $4 }' | sort -n)"
  # 10 tasks over 4 elements, round robin with the whole file's numbers: element 0 runs part 1/4
  # (tasks 1, 5, 9), element 3 part 4/4 (tasks 4, 8).
  for element in 0 1 2 3; do
    part=$((element + 1))
    check_eq "job-array: element $element ran part $part/4" "$(part_rows $part 4 10)" \
      "$(joblog_rows "array-tasks.txt.part-$part-of-4.joblog")"
    [[ $(job_state_of_element "$job" "$element") == "COMPLETED 0:0" ]] || show_file "taskfarm-array-${job}_$element.out"
  done
  check_eq "job-array: the parts' joblogs add up to the whole file" "$(expected_rows 10)" \
    "$(cat array-tasks.txt.part-*-of-4.joblog | awk -F'\t' '$1 != "Seq" { print $1, $7 }' | sort -n)"
  check_eq "job-array: one output directory, whole-file task numbers" "task 7 output" \
    "$(cat array-tasks.txt.output/7.out 2>/dev/null)"
  check "job-array: every task ran exactly once across the elements" markers_once array-markers.txt 10
}

# job_state_of_element ARRAY_JOB ELEMENT: "STATE EXITCODE" of one array element.
job_state_of_element() { job_records "$1" | awk -v e="$2" '$2 == e { print $3, $4 }'; }

check_walltime_requeue() {
  local job=$1 out=taskfarm-walltime-safe-$1.out
  if wait_until 60 "job $job to be requeued" requeued_and_pending "$job"; then
    # Slurm holds a requeued job for its credential lifetime (about 2 minutes); a real job waits,
    # the test lets it start sooner -- but not within the second of the requeue, when slurmd
    # still rejects the job's revoked credential and the job fails ("Job credential revoked").
    timeout 10 scontrol update JobId="$job" StartTime=now+3
  fi
  wait_jobs 90 "$job"
  check_completed "walltime-safe (requeue): finished" "$job" "$out"
  check_eq "walltime-safe (requeue): requeued once" 1 "$(restart_count "$job")"
  check "walltime-safe (requeue): run 1 was interrupted" grep -q "run 1 interrupted (status 102): restarting by requeue" "$out"
  check "walltime-safe (requeue): run 2 finished the rest" grep -q "all tasks done in run 2" "$out"
  check "walltime-safe (requeue): every task ran exactly once across runs" markers_once requeue-markers.txt 16
  check "walltime-safe (requeue): the signal cut no running task short" markers_once requeue-starts.txt 16
  check_eq "walltime-safe (requeue): joblog has each task once, exit 0" "$(expected_rows 16)" "$(joblog_rows requeue-tasks.txt.joblog)"
  markers_once requeue-markers.txt 16 || show_file "$out"
}

check_walltime_resubmit() {
  local job=$1 out=taskfarm-walltime-safe-$1.out next
  wait_jobs 60 "$job"
  check_completed "walltime-safe (resubmit): first run ended cleanly" "$job" "$out"
  next=$(sed -n 's/^submitted job \([0-9]*\) to resume$/\1/p' "$out")
  if [[ -z $next ]]; then
    fail "walltime-safe (resubmit): no follow-up job submitted"
    show_file "$out"
    return
  fi
  wait_jobs 90 "$next"
  check_completed "walltime-safe (resubmit): follow-up job $next finished" "$next" "taskfarm-walltime-safe-$next.out"
  check "walltime-safe (resubmit): run 2 finished the rest" grep -q "all tasks done in run 2" "taskfarm-walltime-safe-$next.out"
  check "walltime-safe (resubmit): every task ran exactly once across jobs" markers_once resubmit-markers.txt 16
  check "walltime-safe (resubmit): the signal cut no running task short" markers_once resubmit-starts.txt 16
  check_eq "walltime-safe (resubmit): joblog has each task once, exit 0" "$(expected_rows 16)" "$(joblog_rows resubmit-tasks.txt.joblog)"
}
