#!/usr/bin/env bash
# The engine under SimGrid SMPI, flat and hierarchical (issue 12; results in docs/SCALING.md):
#   1. calibrate: the engine's cost per chunk on the root and on a worker, from real runs of
#      taskfarm_simulate_real under mpirun (2 ranks, empty tasks, so the engine is all there is);
#   2. validate: the same tasks real (mpirun) and simulated (SMPI, on one node), 2 and 4 ranks;
#   3. sweep: efficiency against simulated cores for 1 ms, 100 us and 10 us tasks, one flat root
#      and the hierarchy.
# Usage: benchmarks/simulate.sh [BUILD_DIR]   (default: build; needs sim/ built: TASKFARM_SMPI)
# Environment: CONFIGS, the sweep's RANKSxTHREADS[:SECONDS][@GROUPS][/TASKS] (default "16x64
# 160x64:0.02@0 160x64@8 10240x1:0.02@0/1e-3 1563x64@8": 10^3, 10^4 and 10^5 cores; a rank of
# T threads is emulated, see sim/simulate_main.cpp; 64/T ranks per 64-core node, so 10240x1 is
# 10 240 simulated ranks of one core; SECONDS overrides SECONDS_OF_WORK, GROUPS (comma-separated)
# GROUP_SIZES and TASKS (comma-separated) DURATIONS; the 10^4 and 10^5 runs take minutes to 2
# hours each), DURATIONS (default "1e-3 1e-4 1e-5"), SECONDS_OF_WORK (ideal makespan
# of the sweep's runs, default 0.1), VALIDATE_RANKS (default "2 4"), REPEATS (real runs per
# figure, default 5), STEPS (default "calibrate validate sweep"), MESSAGE_COST /
# WORKER_MESSAGE_COST (skip calibrating), GROUP_SIZES (the sweep's, default "0 8": flat, then
# groups of 8 ranks), GROUP_SIZE (--group-size for calibrate and validate), OUT_DIR (default
# BUILD_DIR/simulate).
# Writes BUILD_DIR/simulate/{calibration,validation,sweep}.tsv and prints them; the sweep also
# records each simulation's real seconds and peak memory (GNU time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
sim=$build/sim/taskfarm_simulate
real=$build/sim/taskfarm_simulate_real
run_sim=$root/sim/run_simulation.sh
out=${OUT_DIR:-$build/simulate}
mkdir -p "$out"
CONFIGS=${CONFIGS:-16x64 160x64:0.02@0 160x64@8 10240x1:0.02@0/1e-3 1563x64@8}
GROUP_SIZES=${GROUP_SIZES:-0 8}
VALIDATE_RANKS=${VALIDATE_RANKS:-2 4}
DURATIONS=${DURATIONS:-1e-3 1e-4 1e-5}
SECONDS_OF_WORK=${SECONDS_OF_WORK:-0.1}
REPEATS=${REPEATS:-5}
STEPS=${STEPS:-calibrate validate sweep}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

# The value of key=... in a driver's output line.
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<" $2" | tail -1; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
real_run() {
  local ranks=$1
  shift
  mpirun -np "$ranks" "$real" "$@" 2>&1 | grep 'check=' || { echo "real run failed: $*" >&2; exit 1; }
}
group=()
[[ -n ${GROUP_SIZE:-} ]] && group=(--group-size="$GROUP_SIZE")
sim_run() {
  local ranks=$1
  shift
  "$run_sim" "$sim" "$ranks" --message-cost="$MESSAGE_COST" --worker-message-cost="$WORKER_MESSAGE_COST" \
    "${group[@]}" "$@" 2>&1 | grep 'check=' || { echo "simulation failed: $ranks ranks $*" >&2; exit 1; }
}
wants() { [[ " $STEPS " == *" $1 "* ]]; }

# 1. The machine is shared and noisy: each figure is the median of REPEATS runs. A chunk costs the
# root its busy (not sleeping) time and a worker its CPU time; each chunk is two messages. The
# simulation itself charges the root for its probes and tests (the driver's --probe-cost,
# sim/matched_probe.cpp), which the real busy time already includes: that share, measured
# on a simulated root saturated at no message cost, is taken off before halving.
if [[ -z ${MESSAGE_COST:-} ]]; then
  wants calibrate || { echo "set MESSAGE_COST and WORKER_MESSAGE_COST, or run the calibrate step" >&2; exit 1; }
  : >"$out/calibration.runs"
  for ((i = 0; i < REPEATS; ++i)); do
    real_run 2 --tasks=200000 --duration=0 --chunk-size=1 --prefetch=64 | tee -a "$out/calibration.runs"
  done
  root_chunk=$(while read -r line; do field root_busy_per_chunk "$line"; done <"$out/calibration.runs" | median)
  worker_chunk=$(while read -r line; do field worker_cpu_per_chunk "$line"; done <"$out/calibration.runs" | median)
  injected=$(field root_busy_per_chunk "$(TASKFARM_SIM_CORES=64 "$run_sim" "$sim" 64 --tasks=100000 --duration=0 \
    --chunk-size=1 --prefetch=64 --message-cost=0 2>&1 | grep 'check=ok')")
  MESSAGE_COST=$(awk -v c="$root_chunk" -v i="$injected" 'BEGIN {printf "%.3g", (c > i ? c - i : 0) / 2}')
  WORKER_MESSAGE_COST=$(awk -v c="$worker_chunk" -v i="$injected" 'BEGIN {printf "%.3g", (c > i ? c - i : 0) / 2}')
  printf 'root_seconds_per_chunk\tworker_seconds_per_chunk\tsimulated_probe_seconds_per_chunk\tmessage_cost\tworker_message_cost\n%s\t%s\t%s\t%s\t%s\n' \
    "$root_chunk" "$worker_chunk" "$injected" "$MESSAGE_COST" "$WORKER_MESSAGE_COST" >"$out/calibration.tsv"
  column -t "$out/calibration.tsv"
fi
WORKER_MESSAGE_COST=${WORKER_MESSAGE_COST:-$MESSAGE_COST}

# 2. 2 and 4 ranks (a serving root and 1 or 3 workers), the same tasks, about a third of a second
# of work per worker.
# The machine is shared: the worker has its core only part of the time (cpu_share), so the real
# run's wall-clock efficiency says more about the neighbours than about taskfarm. Its tasks spin
# on CPU time, and real_efficiency is the share of the worker's CPU time spent in tasks: the
# efficiency it would have on a core of its own, which the simulation models.
if wants validate; then
  printf 'ranks\ttask_seconds\ttasks\treal_efficiency\treal_wall_efficiency\treal_cpu_share\tsimulated_efficiency\tgap\n' \
    >"$out/validation.tsv"
  for ranks in $VALIDATE_RANKS; do
    for d in $DURATIONS; do
      tasks=$(awk -v d="$d" -v n="$ranks" 'BEGIN {printf "%d", 0.3 * (n - 1) / d}')
      : >"$out/validation.runs"
      for ((i = 0; i < REPEATS; ++i)); do real_run "$ranks" --tasks="$tasks" --duration="$d" >>"$out/validation.runs"; done
      of_runs() { while read -r line; do field "$1" "$line"; done <"$out/validation.runs" | median; }
      measured=$(of_runs efficiency_cpu)
      simulated=$(field efficiency_workers "$(TASKFARM_SIM_CORES=$ranks sim_run "$ranks" --tasks="$tasks" --duration="$d")")
      gap=$(awk -v r="$measured" -v s="$simulated" 'BEGIN {printf "%+.3f", s - r}')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ranks" "$d" "$tasks" "$measured" "$(of_runs efficiency_workers)" \
        "$(of_runs worker_cpu_share)" "$simulated" "$gap" >>"$out/validation.tsv"
    done
  done
  column -t "$out/validation.tsv"
fi

# 3. A rank of T threads stands for T cores of the fat-tree cluster, 64 cores per node; the root
# only serves. Enough tasks for SECONDS_OF_WORK of work per core at perfect efficiency. Each
# configuration runs once per entry of GROUP_SIZES: 0 is one flat root, G > 1 the hierarchy with
# groups of G ranks (a sub-master and G - 1 workers).
if wants sweep; then
  printf 'ranks\tthreads\tcores\tgroup_size\ttask_seconds\ttasks\tmakespan\tefficiency\troot_utilisation\tsubmaster_tasks_share\tsubmaster_serving_share\ttasks_per_s\tchunks_per_s\treal_seconds\tmax_rss_mb\n' \
    >"$out/sweep.tsv"
  for config in $CONFIGS; do
    durations=$DURATIONS
    [[ $config == */* ]] && durations=${config#*/} && durations=${durations//,/ }
    config=${config%%/*}
    group_sizes=$GROUP_SIZES
    [[ $config == *@* ]] && group_sizes=${config#*@} && group_sizes=${group_sizes//,/ }
    config=${config%%@*}
    work_seconds=$SECONDS_OF_WORK
    [[ $config == *:* ]] && work_seconds=${config#*:}
    config=${config%%:*}
    ranks=${config%x*}
    threads=${config#*x}
    per_node=$((threads >= 64 ? 1 : 64 / threads))
    for g in $group_sizes; do
      for d in $durations; do
        tasks=$(awk -v n="$ranks" -v t="$threads" -v d="$d" -v w="$work_seconds" 'BEGIN {printf "%d", n * t * w / d}')
        start=$(date +%s.%N)
        line=$(TASKFARM_SIM_CORES=$per_node /usr/bin/time -f 'max_rss_kb=%M' "$run_sim" "$sim" "$ranks" \
          --message-cost="$MESSAGE_COST" --worker-message-cost="$WORKER_MESSAGE_COST" --group-size="$g" \
          --threads="$threads" --tasks="$tasks" --duration="$d" 2>&1 | grep 'check=\|max_rss_kb=' | tr '\n' ' ')
        [[ $line == *check=ok* ]] || { echo "simulation failed: $config groups of $g, $d: $line" >&2; exit 1; }
        took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", e - s}')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ranks" "$threads" "$(field cores "$line")" "$g" \
          "$d" "$tasks" "$(field makespan "$line")" "$(field efficiency "$line")" "$(field root_utilisation "$line")" \
          "$(field submaster_tasks_share "$line")" "$(field submaster_serving_share "$line")" \
          "$(field tasks_per_s "$line")" "$(field chunks_per_s "$line")" "$took" \
          "$(awk -v k="$(field max_rss_kb "$line")" 'BEGIN {printf "%.0f", k / 1024}')" | tee -a "$out/sweep.tsv"
      done
    done
  done
  column -t "$out/sweep.tsv"
fi
