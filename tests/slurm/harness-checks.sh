# shellcheck shell=bash
# Checks of the local SLURM harness itself (sourced by run-slurm-tests.sh, runs in the work dir):
# MPI jobs launched by mpirun inside the allocation and by srun --mpi=pmix, the hybrid
# --cpus-per-task setting reaching the ranks, a job array, and a failing job reported as failed.

# hello_lines FILE: the sorted "hello" lines an MPI hello job printed.
hello_lines() { grep '^hello ' "$1" 2>/dev/null | sort; }

expected_hello() {  # expected_hello SIZE THREADS
  local rank sum=$(($1 * ($1 - 1) / 2))
  for ((rank = 0; rank < $1; rank++)); do
    echo "hello rank=$rank size=$1 rank_sum=$sum omp=$2"
  done
}

# run_harness_checks MPICC SOURCE_DIR
run_harness_checks() {
  local mpicc=$1 source_dir=$2
  echo "== harness: MPI hello, job array, failing job"
  if ! timeout 60 "$mpicc" -o mpi_hello "$source_dir/mpi_hello.c"; then
    fail "mpicc could not build mpi_hello.c"
    return
  fi

  # mpirun refuses root unless told; a real user's job script needs none of this.
  cat >mpirun-hello.sbatch <<'EOF'
#!/bin/bash
export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
# No -np: mpirun takes the ranks from the allocation. The node declares more CPUs than the host
# has cores, so Open MPI's default core binding would fail: no binding here.
exec timeout 60 mpirun --bind-to none ./mpi_hello
EOF
  cat >srun-hello.sbatch <<'EOF'
#!/bin/bash
export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK
# Slurm 22.05's srun ignores SLURM_CPUS_PER_TASK: pass it explicitly.
exec timeout 60 srun --mpi=pmix --cpus-per-task="$SLURM_CPUS_PER_TASK" ./mpi_hello
EOF
  cat >array.sbatch <<'EOF'
#!/bin/bash
echo "element ${SLURM_ARRAY_TASK_ID} of ${SLURM_ARRAY_TASK_COUNT} job ${SLURM_ARRAY_JOB_ID}"
EOF
  printf '#!/bin/bash\nexit 3\n' >failing.sbatch

  local mpirun_job srun_job array_job failing_job
  mpirun_job=$(submit -n2 -c2 -o mpirun-hello.out mpirun-hello.sbatch) || { fail "sbatch mpirun-hello"; return; }
  srun_job=$(submit -n2 -c2 -o srun-hello.out srun-hello.sbatch) || { fail "sbatch srun-hello"; return; }
  array_job=$(submit --array=0-3 -n1 -o 'array-%A_%a.out' array.sbatch) || { fail "sbatch array"; return; }
  failing_job=$(submit -n1 -o failing.out failing.sbatch) || { fail "sbatch failing"; return; }
  wait_jobs 90 "$mpirun_job" "$srun_job" "$array_job" "$failing_job"

  check_completed "mpirun inside the allocation" "$mpirun_job" mpirun-hello.out
  check_eq "mpirun: 2 ranks, allreduce, OMP_NUM_THREADS=2" "$(expected_hello 2 2)" "$(hello_lines mpirun-hello.out)"
  check_completed "srun --mpi=pmix" "$srun_job" srun-hello.out
  check_eq "srun: 2 ranks, allreduce, OMP_NUM_THREADS=2" "$(expected_hello 2 2)" "$(hello_lines srun-hello.out)"

  local records element
  records=$(job_records "$array_job")
  check_eq "array: 4 elements, all COMPLETED 0:0" "$(printf '%s COMPLETED 0:0\n' 0 1 2 3)" \
    "$(awk '{ print $2, $3, $4 }' <<<"$records" | sort -n)"
  for element in 0 1 2 3; do
    check_eq "array element $element output" "element $element of 4 job $array_job" \
      "$(cat "array-${array_job}_$element.out" 2>/dev/null)"
  done

  check_eq "a failing job is FAILED with its exit code" "FAILED 3:0" "$(job_state "$failing_job")"
}
