#!/usr/bin/env bash
# The flat engine under SimGrid SMPI (issue 12; results in docs/SCALING.md):
#   1. calibrate: the engine's cost per chunk on the root and on a worker, from real runs of
#      taskfarm_simulate_real under mpirun (2 ranks, empty tasks, so the engine is all there is);
#   2. validate: the same tasks real (mpirun, 2 ranks) and simulated (SMPI, 2 ranks on one node);
#   3. sweep: efficiency against simulated ranks for 1 ms, 100 us and 10 us tasks.
# Usage: benchmarks/simulate.sh [BUILD_DIR]   (default: build; needs sim/ built: TASKFARM_SMPI)
# Environment: RANKS (default "1000 10000"), DURATIONS (default "1e-3 1e-4 1e-5"), SECONDS_OF_WORK
# (ideal makespan of the sweep's runs, default 0.1), REPEATS (real runs per figure, default 5),
# STEPS (default "calibrate validate sweep"), MESSAGE_COST / WORKER_MESSAGE_COST (skip calibrating).
# Writes BUILD_DIR/simulate/{calibration,validation,sweep}.tsv and prints them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
sim=$build/sim/taskfarm_simulate
real=$build/sim/taskfarm_simulate_real
run_sim=$root/sim/run_simulation.sh
out=$build/simulate
mkdir -p "$out"
RANKS=${RANKS:-1000 10000}
DURATIONS=${DURATIONS:-1e-3 1e-4 1e-5}
SECONDS_OF_WORK=${SECONDS_OF_WORK:-0.1}
REPEATS=${REPEATS:-5}
STEPS=${STEPS:-calibrate validate sweep}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

# The value of key=... in a driver's output line.
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<" $2" | tail -1; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
real_run() { mpirun -np 2 "$real" "$@" 2>&1 | grep 'check=' || { echo "real run failed: $*" >&2; exit 1; }; }
sim_run() {
  local ranks=$1
  shift
  "$run_sim" "$sim" "$ranks" --message-cost="$MESSAGE_COST" --worker-message-cost="$WORKER_MESSAGE_COST" "$@" 2>&1 |
    grep 'check=' || { echo "simulation failed: $ranks ranks $*" >&2; exit 1; }
}
wants() { [[ " $STEPS " == *" $1 "* ]]; }

# 1. The machine is shared and noisy: each figure is the median of REPEATS runs. A chunk costs the
# root its busy (not sleeping) time and a worker its CPU time; each chunk is two messages.
if [[ -z ${MESSAGE_COST:-} ]]; then
  wants calibrate || { echo "set MESSAGE_COST and WORKER_MESSAGE_COST, or run the calibrate step" >&2; exit 1; }
  : >"$out/calibration.runs"
  for ((i = 0; i < REPEATS; ++i)); do
    real_run --tasks=200000 --duration=0 --chunk-size=1 --prefetch=64 | tee -a "$out/calibration.runs"
  done
  root_chunk=$(while read -r line; do field root_busy_per_chunk "$line"; done <"$out/calibration.runs" | median)
  worker_chunk=$(while read -r line; do field worker_cpu_per_chunk "$line"; done <"$out/calibration.runs" | median)
  MESSAGE_COST=$(awk -v c="$root_chunk" 'BEGIN {printf "%.3g", c / 2}')
  WORKER_MESSAGE_COST=$(awk -v c="$worker_chunk" 'BEGIN {printf "%.3g", c / 2}')
  printf 'root_seconds_per_chunk\tworker_seconds_per_chunk\tmessage_cost\tworker_message_cost\n%s\t%s\t%s\t%s\n' \
    "$root_chunk" "$worker_chunk" "$MESSAGE_COST" "$WORKER_MESSAGE_COST" >"$out/calibration.tsv"
  column -t "$out/calibration.tsv"
fi
WORKER_MESSAGE_COST=${WORKER_MESSAGE_COST:-$MESSAGE_COST}

# 2. Two ranks (a serving root and one worker), the same tasks, about a third of a second of work.
# The machine is shared: the worker has its core only part of the time (cpu_share), so the real
# run's wall-clock efficiency says more about the neighbours than about taskfarm. Its tasks spin
# on CPU time, and real_efficiency is the share of the worker's CPU time spent in tasks: the
# efficiency it would have on a core of its own, which the simulation models.
if wants validate; then
  printf 'task_seconds\ttasks\treal_efficiency\treal_wall_efficiency\treal_cpu_share\tsimulated_efficiency\tgap\n' \
    >"$out/validation.tsv"
  for d in $DURATIONS; do
    tasks=$(awk -v d="$d" 'BEGIN {printf "%d", 0.3 / d}')
    : >"$out/validation.runs"
    for ((i = 0; i < REPEATS; ++i)); do real_run --tasks="$tasks" --duration="$d" >>"$out/validation.runs"; done
    of_runs() { while read -r line; do field "$1" "$line"; done <"$out/validation.runs" | median; }
    measured=$(of_runs efficiency_cpu)
    simulated=$(field efficiency_workers "$(TASKFARM_SIM_CORES=2 sim_run 2 --tasks="$tasks" --duration="$d")")
    gap=$(awk -v r="$measured" -v s="$simulated" 'BEGIN {printf "%+.3f", s - r}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$d" "$tasks" "$measured" "$(of_runs efficiency_workers)" \
      "$(of_runs worker_cpu_share)" "$simulated" "$gap" >>"$out/validation.tsv"
  done
  column -t "$out/validation.tsv"
fi

# 3. Every rank a core of the fat-tree cluster, 64 per node; the root only serves. Enough tasks
# for SECONDS_OF_WORK of work per rank at perfect efficiency.
if wants sweep; then
  printf 'ranks\ttask_seconds\ttasks\tmakespan\tefficiency\troot_utilisation\ttasks_per_s\tchunks_per_s\tsimulation_seconds\n' \
    >"$out/sweep.tsv"
  for ranks in $RANKS; do
    for d in $DURATIONS; do
      tasks=$(awk -v n="$ranks" -v d="$d" -v w="$SECONDS_OF_WORK" 'BEGIN {printf "%d", n * w / d}')
      start=$(date +%s.%N)
      line=$(sim_run "$ranks" --tasks="$tasks" --duration="$d")
      took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", e - s}')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ranks" "$d" "$tasks" "$(field makespan "$line")" \
        "$(field efficiency "$line")" "$(field root_utilisation "$line")" "$(field tasks_per_s "$line")" \
        "$(field chunks_per_s "$line")" "$took" | tee -a "$out/sweep.tsv"
    done
  done
  column -t "$out/sweep.tsv"
fi
