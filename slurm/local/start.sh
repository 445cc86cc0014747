#!/usr/bin/env bash
# Start a real single-node SLURM cluster (munged + slurmctld + slurmd) under DIR, for tests and
# for trying the sbatch templates on a laptop or CI runner.
#
#   slurm/local/start.sh DIR      # then: source DIR/env.sh; sbatch ...; slurm/local/stop.sh DIR
#
# Daemons run as plain background processes (no systemd: CI containers and VMs often have none),
# detached with setsid so a CI step's signals do not reach them, and are stopped by stop.sh through
# the PIDs recorded in DIR/run/*.launch.pid. Everything the cluster writes stays under DIR.
#
# Exit status: 0 cluster up (node idle); 77 cannot run here (packages missing and not
# installable, not root): callers treat it as "skip"; anything else is a real failure, and
# whatever was started is stopped again.
#
# Knobs (environment):
#   SLURM_LOCAL_CPUS          CPUs the node declares (default 10: more slots than cores, so
#                             several test jobs run side by side; Slurm does not enforce them here)
#   SLURM_LOCAL_CTLD_PORT     slurmctld port (default 6817)
#   SLURM_LOCAL_SLURMD_PORT   slurmd port (default 6818)
#   SLURM_LOCAL_MPI_DEFAULT   MpiDefault (default none: scripts must say --mpi=pmix, which is what
#                             works on sites whose default is not pmix)
#   SLURM_LOCAL_PROCTRACK     ProctrackType (default proctrack/linuxproc; cgroup needs host support)
#   SLURM_LOCAL_TASK_PLUGIN   TaskPlugin (default task/none: no binding)
#   SLURM_LOCAL_START_TIMEOUT seconds to wait for each daemon / the idle node (default 30)
#   SLURM_LOCAL_NO_INSTALL=1  never run apt-get; exit 77 if the packages are missing
set -euo pipefail

readonly SKIP=77
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "slurm-local start: $*" >&2; exit 1; }
skip() { echo "slurm-local start: SKIP: $*" >&2; exit "$SKIP"; }

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
mkdir -p "$1"
dir=$(cd "$1" && pwd)

cpus=${SLURM_LOCAL_CPUS:-10}
ctld_port=${SLURM_LOCAL_CTLD_PORT:-6817}
slurmd_port=${SLURM_LOCAL_SLURMD_PORT:-6818}
mpi_default=${SLURM_LOCAL_MPI_DEFAULT:-none}
proctrack=${SLURM_LOCAL_PROCTRACK:-proctrack/linuxproc}
task_plugin=${SLURM_LOCAL_TASK_PLUGIN:-task/none}
start_timeout=${SLURM_LOCAL_START_TIMEOUT:-30}

# --- prerequisites ------------------------------------------------------------------------------
# Slurm here runs as SlurmUser=root (slurmd must be root to launch jobs as their owners anyway).
[[ $(id -u) -eq 0 ]] || skip "must run as root (slurmd and SlurmUser=root)"

missing_tools() {
  local tool
  for tool in munged mungekey munge unmunge slurmctld slurmd sbatch srun scontrol scancel sinfo ss setsid; do
    PATH=$PATH:/usr/sbin:/sbin command -v "$tool" >/dev/null || echo "$tool"
  done
}
if [[ -n $(missing_tools) ]]; then
  [[ ${SLURM_LOCAL_NO_INSTALL:-0} == 1 ]] && skip "missing: $(missing_tools | tr '\n' ' ')"
  command -v apt-get >/dev/null || skip "missing: $(missing_tools | tr '\n' ' ') and no apt-get"
  echo "slurm-local start: installing slurm-wlm munge with apt-get" >&2
  # The lock timeout lets a concurrent apt-get (another job on the runner) finish first. A stale
  # package list is refreshed once. Debian's postinst scripts would start the daemons through
  # invoke-rc.d: harmless without an init system, and ours run on their own ports and paths.
  apt_install() {
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get -o DPkg::Lock::Timeout=300 install -y \
      --no-install-recommends slurm-wlm munge iproute2 >&2
  }
  apt_install || { timeout 300 apt-get -o DPkg::Lock::Timeout=300 update >&2 && apt_install; } ||
    skip "apt-get could not install slurm-wlm munge"
  [[ -z $(missing_tools) ]] || skip "still missing after apt-get: $(missing_tools | tr '\n' ' ')"
fi
export PATH=$PATH:/usr/sbin:/sbin

host=$(hostname -s)
[[ -n $host ]] || die "hostname -s is empty"

port_busy() { ss -Htln "sport = :$1" | grep -q .; }
port_busy "$ctld_port" && die "port $ctld_port (slurmctld) is in use; set SLURM_LOCAL_CTLD_PORT"
port_busy "$slurmd_port" && die "port $slurmd_port (slurmd) is in use; set SLURM_LOCAL_SLURMD_PORT"
[[ -e $dir/run/slurmctld.launch.pid ]] && die "$dir already holds a cluster; run stop.sh $dir first"

# --- from here on, a failure stops whatever was started ------------------------------------------
started=0
on_exit() {
  local rc=$?
  if [[ $rc -ne 0 && $started -eq 1 ]]; then
    echo "slurm-local start: failed (rc $rc); logs in $dir/log; stopping what was started" >&2
    tail -n 20 "$dir"/log/*.log "$dir"/log/*.out 2>/dev/null >&2 || true
    "$here/stop.sh" "$dir" >&2 || true
  fi
}
trap on_exit EXIT

mkdir -p "$dir"/{etc,log,run,state,spool,tmp,munge}
# munged refuses a socket directory writable by group/other; 0755 (not 0700) lets non-root
# users reach the socket so they can submit too.
chmod 0755 "$dir" "$dir/munge" "$dir/tmp"

# wait_for SECONDS DESCRIPTION COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${seconds}s waiting for $what"
    sleep 0.1
  done
}

# launch NAME COMMAND...: start a daemon in the foreground of its own session and record its PID.
# setsid does not fork here (a background job of a script is not a group leader), so $! is the
# daemon itself. The daemon's cwd is $dir/run, so slurmstepd (which inherits it) never pins the
# caller's directory.
launch() {
  local name=$1; shift
  (cd "$dir/run" && exec setsid "$@" </dev/null >>"$dir/log/$name.out" 2>&1) &
  echo $! >"$dir/run/$name.launch.pid"
  started=1
}

# --- munge ---------------------------------------------------------------------------------------
mungekey --create --keyfile="$dir/munge/munge.key" --force
chmod 0400 "$dir/munge/munge.key"
socket=$dir/munge/munge.socket.2
launch munged munged -F --force --socket="$socket" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/run/munged.pid" --seed-file="$dir/munge/munged.seed"
wait_for "$start_timeout" "munged socket" test -S "$socket"
munge_roundtrip() { munge -S "$socket" -n | unmunge -S "$socket"; }
wait_for "$start_timeout" "a munge credential round trip" munge_roundtrip

# --- configuration -------------------------------------------------------------------------------
real_memory=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
: >"$dir/etc/plugstack.conf"   # isolate from Debian's /etc/slurm/plugstack.conf{,.d}
cat >"$dir/etc/slurm.conf" <<EOF
# Generated by slurm/local/start.sh: a single-node cluster under $dir.
ClusterName=taskfarm-local
# By address only, so nothing depends on name resolution or /etc/hosts.
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
TmpFS=$dir/tmp
PlugStackConfig=$dir/etc/plugstack.conf
MailProg=/bin/true
ProctrackType=$proctrack
TaskPlugin=$task_plugin
MpiDefault=$mpi_default
SwitchType=switch/none
# The node may declare more CPUs than the host has (test slots); memory is not consumable.
SlurmdParameters=config_overrides
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# Start short jobs at once instead of on the default 3 s cadence, and backfill every second so a
# big pending job does not hold small ones back for 30 s.
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,bf_interval=1
# Finished jobs stay visible to "scontrol show job" for 10 minutes (tests poll it).
MinJobAge=600
KillWait=5
ReturnToService=2
# No slurmdbd: "sacct -c" reads this job-completion log instead.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$real_memory State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

cat >"$dir/env.sh" <<EOF
# Source this to use the local cluster: . $dir/env.sh
export SLURM_CONF=$dir/etc/slurm.conf
export SLURM_LOCAL_DIR=$dir
EOF
export SLURM_CONF=$dir/etc/slurm.conf

# --- daemons -------------------------------------------------------------------------------------
# -c: start from a clean state; -i: ignore state-file errors of the fresh StateSaveLocation.
launch slurmctld slurmctld -D -c -i -f "$SLURM_CONF"
wait_for "$start_timeout" "slurmctld to answer" scontrol ping
launch slurmd slurmd -D -N "$host" -f "$SLURM_CONF"

node_state() { scontrol show node -o "$host" 2>/dev/null | sed -n 's/.* State=\([^ ]*\).*/\1/p'; }
node_idle() {
  local state
  state=$(node_state)
  case $state in
    *INVAL* | *DRAIN*) die "node $host is $state: $(scontrol show node -o "$host" | grep -o 'Reason=.*')" ;;
  esac
  [[ $state == IDLE ]]
}
deadline=$((SECONDS + start_timeout))
until node_idle; do
  ((SECONDS < deadline)) || die "node $host not idle after ${start_timeout}s (state: $(node_state))"
  sleep 0.1
done

echo "slurm-local: cluster up in $dir (node $host, $cpus CPUs, ports $ctld_port/$slurmd_port)" >&2
echo "slurm-local: export SLURM_CONF=$SLURM_CONF   # or: . $dir/env.sh" >&2
