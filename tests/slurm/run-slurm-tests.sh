#!/usr/bin/env bash
# End-to-end test on a real single-node SLURM: starts a cluster with slurm/local/start.sh in a
# temporary directory, submits jobs with sbatch, polls until they are final, checks their results
# and stops the cluster on exit (whatever happens).
#
#   run-slurm-tests.sh --slurm-dir REPO/slurm [--mpicc MPICC] [--demo TASKFARM_DEMO] [--cli TASKFARM]
#
# Without --demo/--cli only the harness itself is tested (MPI under mpirun and srun, job arrays);
# with them every sbatch template in slurm/ is submitted as a user would, unmodified.
# Exit status: 0 all checks passed, 1 a check failed, 77 SLURM cannot run here (CTest: skipped).
# KEEP_WORKDIR=1 keeps the temporary directory (cluster logs, job outputs) for inspection.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"

slurm_dir='' mpicc=mpicc demo='' cli=''
while [[ $# -gt 0 ]]; do
  case $1 in
    --slurm-dir) slurm_dir=$2; shift 2 ;;
    --mpicc) mpicc=$2; shift 2 ;;
    --demo) demo=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -d $slurm_dir ]] || { echo "--slurm-dir must name the repository's slurm/ folder" >&2; exit 2; }
slurm_dir=$(cd "$slurm_dir" && pwd)
# Absolute paths: the checks run in the work directory, and so do the jobs.
absolute() { [[ -z $1 || $1 == /* ]] && echo "$1" || echo "$PWD/$1"; }
demo=$(absolute "$demo")
cli=$(absolute "$cli")

work=$(mktemp -d "${TMPDIR:-/tmp}/taskfarm-slurm-test.XXXXXX")
chmod 0755 "$work"
cluster=$work/cluster
watchdog=''
finish() {
  local rc=$?
  [[ -n $watchdog ]] && kill "$watchdog" 2>/dev/null
  "$slurm_dir/local/stop.sh" "$cluster" || echo "WARNING: stop.sh reported a problem" >&2
  if ((failures > 0 || rc != 0)) && [[ -d $cluster/log ]]; then
    echo "===== cluster logs (last lines)"
    tail -n 15 "$cluster"/log/slurmctld.log "$cluster"/log/slurmd.log 2>/dev/null
  fi
  if [[ ${KEEP_WORKDIR:-0} == 1 ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap finish EXIT
# A CTest timeout sends SIGTERM: still stop the cluster (the EXIT trap runs on exit).
trap 'exit 1' TERM INT

# Free ports, so a developer's own cluster (6817/6818) or a parallel run does not collide.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 30000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
  return 1
}
export SLURM_LOCAL_CTLD_PORT=${SLURM_LOCAL_CTLD_PORT:-$(free_port)}
export SLURM_LOCAL_SLURMD_PORT=${SLURM_LOCAL_SLURMD_PORT:-$(free_port)}
# Slots for all test jobs at once (they mostly sleep; Slurm does not enforce CPUs here).
export SLURM_LOCAL_CPUS=${SLURM_LOCAL_CPUS:-24}

timeout 600 "$slurm_dir/local/start.sh" "$cluster"
rc=$?
if [[ $rc -eq 77 ]]; then
  echo "SKIP: a local SLURM cannot be started here (see the message above)"
  exit 77
fi
[[ $rc -eq 0 ]] || { echo "FAIL: slurm/local/start.sh exited with $rc"; exit 1; }
# A watchdog ends the whole test (through the EXIT trap, which stops the cluster) well before
# CTest's TIMEOUT would kill it and leave the daemons running.
deadline=${SLURM_TEST_DEADLINE:-300}
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$deadline" & sleeper=$!
  wait "$sleeper"
  echo "FAIL: the test did not finish within ${deadline}s; stopping"
  kill -TERM $$
) &
watchdog=$!
# shellcheck source=/dev/null
source "$cluster/env.sh"
# Open MPI session directories of jobs go here, removed with the work directory.
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR"
cd "$work" || exit 1

source "$here/harness-checks.sh" || { fail "cannot read harness-checks.sh"; exit 1; }
run_harness_checks "$mpicc" "$here"

if [[ -n $demo || -n $cli ]]; then
  for binary in "$demo" "$cli"; do
    [[ -z $binary || -x $binary ]] || { fail "$binary is not built (build all targets before ctest)"; exit 1; }
  done
  source "$here/template-checks.sh" || { fail "cannot read template-checks.sh"; exit 1; }
  run_template_checks "$slurm_dir" "$demo" "$cli"
fi

echo "$((checks - failures))/$checks checks passed"
((failures == 0))
