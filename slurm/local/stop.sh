#!/usr/bin/env bash
# Stop the cluster that slurm/local/start.sh started under DIR, and everything its jobs left
# running. Safe to call twice, on a half-started cluster, or on a DIR without a cluster.
#
#   slurm/local/stop.sh DIR [--remove]     # --remove: also delete DIR afterwards
#
# Order matters: jobs first (while slurmctld and slurmd can still cancel them), then the daemons.
# Only processes recorded in DIR/run/*.launch.pid (and checked by name, so a recycled PID is never
# hit) and job-step daemons holding files under DIR are signalled.
set -uo pipefail

[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: $0 DIR [--remove]" >&2; exit 2; }
[[ -d $1 ]] || exit 0
dir=$(cd "$1" && pwd)
remove=0
[[ ${2:-} == --remove ]] && remove=1
export PATH=$PATH:/usr/sbin:/sbin
export SLURM_CONF=$dir/etc/slurm.conf

# alive PID NAME: the process exists, is not a zombie, and is the program we started. PID 1 may
# reap orphans lazily, so a dead daemon can sit as a zombie for seconds: kill -0 is not enough.
alive() {
  local pid=$1 name=$2 stat
  [[ -r /proc/$pid/stat ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$name" ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }          # the state letter follows the parenthesised command name
  [[ ${stat%% *} != Z ]]
}

# PIDs of slurmstepd processes of this cluster. They are re-parented to PID 1 and carry no other
# mark than open files (logs, spool, job output) under $dir.
our_stepds() {
  local pid fd
  for pid in $(pgrep -x slurmstepd 2>/dev/null); do
    for fd in /proc/"$pid"/fd/* /proc/"$pid"/cwd; do
      if [[ $(readlink "$fd" 2>/dev/null) == "$dir"/* ]]; then
        echo "$pid"
        break
      fi
    done
  done
}

# wait_gone SECONDS NAME PID...: wait until none of the PIDs is alive.
wait_gone() {
  local seconds=$1 name=$2; shift 2
  local deadline=$((SECONDS + seconds)) pid any
  while ((SECONDS < deadline)); do
    any=0
    for pid in "$@"; do alive "$pid" "$name" && any=1; done
    ((any)) || return 0
    sleep 0.1
  done
  return 1
}

# 1. Jobs: cancel them all and wait (bounded) for their step daemons to finish.
if [[ -e $dir/run/slurmctld.launch.pid && -r $SLURM_CONF ]]; then
  # Every job of the (only) partition, whoever submitted it.
  timeout 10 scancel --quiet --partition=local >/dev/null 2>&1 || true
  deadline=$((SECONDS + 15))
  while [[ -n $(our_stepds) ]] && ((SECONDS < deadline)); do sleep 0.2; done
fi
# Whatever did not go (slurmd already dead, a stuck step): signal it directly.
mapfile -t stepds < <(our_stepds)
if ((${#stepds[@]} > 0)); then
  kill -TERM "${stepds[@]}" 2>/dev/null
  wait_gone 5 slurmstepd "${stepds[@]}" || kill -KILL "${stepds[@]}" 2>/dev/null
fi

# 2. Daemons: TERM all three at once (each takes 1-2 s to exit), KILL after 10 s.
declare -A pids=()
for name in slurmd slurmctld munged; do
  file=$dir/run/$name.launch.pid
  [[ -r $file ]] || continue
  pid=$(<"$file")
  if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" "$name"; then
    pids[$name]=$pid
    kill -TERM "$pid" 2>/dev/null
  fi
done
status=0
for name in "${!pids[@]}"; do
  pid=${pids[$name]}
  if ! wait_gone 10 "$name" "$pid"; then
    echo "slurm-local stop: $name ($pid) ignored SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
    wait_gone 5 "$name" "$pid" || { echo "slurm-local stop: $name ($pid) survived SIGKILL" >&2; status=1; }
  fi
done
rm -f "$dir"/run/*.launch.pid

# 3. With proctrack/cgroup, Slurm leaves its (empty) per-node cgroup directories behind.
grep -qs '^ProctrackType=proctrack/cgroup' "$SLURM_CONF" &&
for cg in /sys/fs/cgroup/*/slurm_"$(hostname -s)" /sys/fs/cgroup/slurm_"$(hostname -s)"; do
  [[ -d $cg ]] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
done

if ((remove && status == 0)); then
  rm -rf "$dir"
fi
exit "$status"
