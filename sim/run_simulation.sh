#!/usr/bin/env bash
# Runs taskfarm_simulate on RANKS simulated ranks of sim/platforms/fat_tree_cluster.xml, 64 ranks
# per node, with the SMPI settings the simulation is calibrated for (docs/SCALING.md):
#   run_simulation.sh SIMULATE_BINARY RANKS [driver options...]
# Environment: TASKFARM_SIM_PLATFORM (another platform), TASKFARM_SIM_CORES (ranks per node),
# TASKFARM_SIM_BENCH=1 (benchmark the host CPU instead of charging --message-cost). The run starts
# in a scratch directory: give --durations-file an absolute path.
set -euo pipefail
binary=$(realpath "$1")
ranks=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
platform=$(realpath "${TASKFARM_SIM_PLATFORM:-$here/platforms/fat_tree_cluster.xml}")
cores=${TASKFARM_SIM_CORES:-64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((node = 0; node * cores < ranks; ++node)); do echo "node-$node:$cores"; done >"$work/hosts"

settings=(
  --cfg=smpi/privatization:no        # one copy of the globals for every rank (docs/SCALING.md)
  --cfg=smpi/host-speed:1Gf          # a simulated core (1 Gf) is a core of this machine
  --cfg=smpi/async-small-thresh:65536  # small messages travel eagerly, as with Open MPI
  --cfg=smpi/send-is-detached-thresh:65536
  --cfg=smpi/iprobe:0                # probes and tests cost what the driver charges (--probe-cost),
  --cfg=smpi/test:0                  # not SMPI's 100 us
  --cfg=smpi/grow-injected-times:no
  --cfg=smpi/wtime:0
  --cfg=contexts/stack-size:256      # KiB per rank: 10^5 ranks fit in memory
  # Collectives in log(ranks) rounds: the linear ones SMPI picks otherwise have the root wait on
  # one request per rank with MPI_Waitany over all of them, minutes of real time at 10^4 ranks.
  --cfg=smpi/barrier:ompi_tree --cfg=smpi/gather:ompi_binomial --cfg=smpi/scatter:ompi_binomial
  --log=root.thr:warning --log=xbt_cfg.thr:warning --log=smpi_config.thr:error
)
if [[ ${TASKFARM_SIM_BENCH:-0} == 1 ]]; then
  settings+=(--cfg=smpi/simulate-computation:yes --cfg=smpi/cpu-threshold:-1)
else
  settings+=(--cfg=smpi/simulate-computation:no)
fi
# From the scratch directory: smpirun leaves its unrolled hostfile there when a run fails.
cd "$work"
smpirun -np "$ranks" -platform "$platform" -hostfile "$work/hosts" "${settings[@]}" "$binary" "$@"
