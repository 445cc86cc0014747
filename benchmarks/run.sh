#!/usr/bin/env bash
# The whole benchmark of issues 3 and 10 in one command, on one machine: builds taskfarm in Release, runs
# the raw MPI limits, taskfarm and the peers on the same tasks in the same run, and writes the
# report (medians of several repetitions: the machine is shared and noisy).
#
#   benchmarks/run.sh            full run (about 7 minutes on 2 cores), writes docs/BENCHMARKS.md
#   benchmarks/run.sh --quick    smoke run of every step (under 2 minutes), writes BUILD/bench-results/BENCHMARKS.md
#   DYNAMPI_INCLUDE=/path/to/DynaMPI/include benchmarks/run.sh    adds the DynaMPI peer
#
# Options: --reps N (repetitions of the short measurements; the long ones take min(N, 3)),
#          --build-dir DIR (default build-bench), --out FILE (the report), --no-build.
# Run it on an otherwise idle machine: other builds or tests running at the same time make the
# figures meaningless.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build-bench
QUICK=0
REPS=5
OUT_MD=""
DO_BUILD=1
while (($#)); do
  case $1 in
    --quick) QUICK=1 ;;
    --reps) REPS=$2; shift ;;
    --build-dir) BUILD=$(realpath -m "$2"); shift ;;
    --out) OUT_MD=$(realpath -m "$2"); shift ;;
    --no-build) DO_BUILD=0 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# Debian's python: the one python3-mpi4py installs into (a pyenv python may come first on PATH).
PY=/usr/bin/python3
BENCH_DIR=$ROOT/benchmarks
RESULTS_DIR=$BUILD/bench-results
RESULTS=$RESULTS_DIR/results.jsonl
LOG=$RESULTS_DIR/run.log
DURATIONS=$RESULTS_DIR/lognormal_durations_us.txt
NOTES=()

if ((QUICK)); then
  REPS=1; LONG_REPS=1; MIN_SECONDS=0.02; LIMIT=200; MEMORY_NS=(1e5 1e6); WORK_SECONDS=0.02; FINE_N=20000
  OUT_MD=${OUT_MD:-$RESULTS_DIR/BENCHMARKS.md}
else
  LONG_REPS=$((REPS < 3 ? REPS : 3)); MIN_SECONDS=0.25; LIMIT=0; MEMORY_NS=(1e5 1e6 1e7 1e8)
  WORK_SECONDS=2; FINE_N=2000000  # 2 M tasks of 1 us
  OUT_MD=${OUT_MD:-$ROOT/docs/BENCHMARKS.md}
fi

# Open MPI as root, shared memory only; no binding: Open MPI binds each of <= 2 ranks to one core
# by default, which would put both threads of a 1 rank x 2 threads run on one core.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader
export OMP_NUM_THREADS=1
MPIRUN=(mpirun --oversubscribe --bind-to none -n)

mkdir -p "$RESULTS_DIR"
: >"$RESULTS"
: >"$LOG"
RUN_START=$SECONDS

# ---- what the run needs ------------------------------------------------------------------------
if ! "$PY" -c 'import mpi4py' 2>/dev/null; then
  echo "installing python3-mpi4py from Debian" >&2
  apt-get install -y python3-mpi4py >>"$LOG" 2>&1 ||
    { apt-get update >>"$LOG" 2>&1 && apt-get install -y python3-mpi4py >>"$LOG" 2>&1; }
fi

if ((DO_BUILD)); then
  echo "building taskfarm (Release) in $BUILD" >&2
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >>"$LOG" 2>&1
  targets=(taskfarm_bench naive_boost_farm mpi_pingpong mpi_hello)
  # The demo is optional: without it the whole-mpirun comparison is reported as not measured.
  if grep -q 'taskfarm-demo' <<<"$(cmake --build "$BUILD" --target help 2>/dev/null)"; then
    targets+=(taskfarm-demo)
  fi
  cmake --build "$BUILD" -j2 --target "${targets[@]}" >>"$LOG" 2>&1 ||
    { echo "run.sh: build failed, see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
  # DynaMPI only where a local copy of its include/ exists (never vendored or downloaded).
  rm -f "$BUILD/benchmarks/dynampi_peer"
  if [[ -n ${DYNAMPI_INCLUDE:-} ]]; then
    if cmake -S "$ROOT" -B "$BUILD" -DDYNAMPI_INCLUDE="$DYNAMPI_INCLUDE" >>"$LOG" 2>&1 &&
      cmake --build "$BUILD" -j2 --target dynampi_peer >>"$LOG" 2>&1; then :; else
      NOTES+=("DynaMPI: DYNAMPI_INCLUDE=$DYNAMPI_INCLUDE is set, but dynampi_peer did not build against it (see the run log), so the DynaMPI steps were skipped.")
    fi
  fi
fi
if [[ ! -x $BUILD/benchmarks/dynampi_peer && -z ${DYNAMPI_INCLUDE:-} ]]; then
  NOTES+=("DynaMPI: skipped, DYNAMPI_INCLUDE is not set. Point it at a local copy of DynaMPI's include/ folder (header-only; run.sh never downloads it) to compare with it in the same run.")
fi
BIN=$BUILD/benchmarks
DEMO=$(find "$BUILD/apps" -name taskfarm-demo -type f -perm -u+x 2>/dev/null | head -1 || true)

"$PY" "$BENCH_DIR/tools/make_durations.py" "$DURATIONS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- running one step --------------------------------------------------------------------------
# CPU time in clock ticks: of the whole machine (busy, including time the hypervisor stole) and of
# the steps this shell ran (its waited-for children, grandchildren included).
CLK_TCK=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
own_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }

# step NAME TIMEOUT COMMAND...: runs one measurement under a time limit and keeps its BENCH lines.
# A failed or timed-out step is recorded as an error record and the run goes on.
step() {
  local name=$1 limit=$2 status=0 start=$SECONDS busy0 own0 wall0
  shift 2
  busy0=$(busy_ticks) own0=$(own_ticks) wall0=$(date +%s%N)
  printf '%-44s' "$name" >&2
  echo "== $name: $*" >>"$LOG"
  timeout --kill-after=10 "$limit" "$@" >"$RESULTS_DIR/step.out" 2>>"$LOG" || status=$?
  cat "$RESULTS_DIR/step.out" >>"$LOG"
  grep '^BENCH ' "$RESULTS_DIR/step.out" >>"$RESULTS" || true
  local what=ok
  if ((status != 0)); then
    what="exit status $status"
    ((status == 124 || status == 137)) && what="timed out after ${limit} s"
    echo "BENCH {\"bench\":\"error\",\"impl\":\"$name\",\"config\":\"$what\"}" >>"$RESULTS"
    echo " FAILED ($what)" >&2
  else
    echo " $((SECONDS - start)) s" >&2
  fi
  # The cores that other processes used meanwhile: the machine is shared, and a step during which
  # someone else compiled has figures to distrust.
  local other
  other=$(awk -v b="$(($(busy_ticks) - busy0))" -v o="$(($(own_ticks) - own0))" -v hz="$CLK_TCK" \
    -v ns="$(($(date +%s%N) - wall0))" 'BEGIN { v = (b - o) / hz / (ns / 1e9); printf "%.2f", v < 0 ? 0 : v }')
  echo "BENCH {\"bench\":\"step\",\"impl\":\"$name\",\"config\":\"$what\",\"seconds\":$((SECONDS - start)),\"other_cores\":$other}" >>"$RESULTS"
}

TF=("$BIN/taskfarm_bench" --reps "$REPS" --min-seconds "$MIN_SECONDS" --cores 2)
TF_LONG=("$BIN/taskfarm_bench" --reps "$LONG_REPS" --min-seconds "$MIN_SECONDS" --cores 2)
LOGNORMAL=(--durations "$DURATIONS" --limit "$LIMIT")
WORK=(--work-seconds "$WORK_SECONDS")
PEER_ARGS=(--reps "$REPS" --min-seconds "$MIN_SECONDS" --cores 2)
PEER_LONG_ARGS=(--reps "$LONG_REPS" --cores 2)
MPI4PY=("${MPIRUN[@]}" 3 "$PY" -m mpi4py.futures "$BENCH_DIR/peers/mpi4py_peer.py")
POOL=("$PY" "$BENCH_DIR/peers/pool_peer.py" --procs 2)

# ---- 1. the physical limit ---------------------------------------------------------------------
PINGPONG=("$BIN/mpi_pingpong" --reps "$REPS")
((QUICK)) && PINGPONG+=(--quick)
step "raw MPI ping-pong" 60 "${MPIRUN[@]}" 2 "${PINGPONG[@]}"

# ---- 2. dispatch, and the peers on empty tasks -------------------------------------------------
step "taskfarm dispatch 2x1" 180 "${MPIRUN[@]}" 2 "${TF[@]}" --scenario dispatch
step "taskfarm dispatch 1x2" 180 env OMP_NUM_THREADS=2 "${MPIRUN[@]}" 1 "${TF[@]}" --scenario dispatch --threads 2
step "naive Boost.MPI farm, empty, 3 ranks" 60 "${MPIRUN[@]}" 3 "$BIN/naive_boost_farm" --mode empty --reps "$REPS" --min-seconds "$MIN_SECONDS"
step "naive Boost.MPI farm, empty, 2 ranks" 60 "${MPIRUN[@]}" 2 "$BIN/naive_boost_farm" --mode empty --reps "$REPS" --min-seconds "$MIN_SECONDS"
step "Pool, empty" 120 "${POOL[@]}" --scenario empty "${PEER_ARGS[@]}"
step "mpi4py.futures, empty" 120 "${MPI4PY[@]}" --scenario empty "${PEER_ARGS[@]}"

# ---- 3. CPU-burning tasks: serial reference, taskfarm and every peer on the same tasks ----------
# Every task burns CPU time (it spins on its thread's CPU clock), and every efficiency is the
# serial wall time of the same tasks, measured here, over cores x the parallel wall time. The
# serial reference runs twice, before and after, so a disturbance on either side shows.
step "serial reference (C++)" 300 "${MPIRUN[@]}" 1 "${TF_LONG[@]}" --scenario serial "${WORK[@]}" "${LOGNORMAL[@]}"
step "taskfarm granularity 2x1" 300 "${MPIRUN[@]}" 2 "${TF_LONG[@]}" --scenario granularity "${WORK[@]}"
step "taskfarm granularity 3x1 (oversubscribed)" 300 "${MPIRUN[@]}" 3 "${TF_LONG[@]}" --scenario granularity "${WORK[@]}"
step "taskfarm granularity 1x2" 300 env OMP_NUM_THREADS=2 "${MPIRUN[@]}" 1 "${TF_LONG[@]}" --scenario granularity --threads 2 "${WORK[@]}"
step "taskfarm lognormal 2x1" 120 "${MPIRUN[@]}" 2 "${TF_LONG[@]}" --scenario imbalance "${LOGNORMAL[@]}"
step "taskfarm lognormal 3x1 (oversubscribed)" 120 "${MPIRUN[@]}" 3 "${TF_LONG[@]}" --scenario imbalance "${LOGNORMAL[@]}"
# One traced call more (the default settings): where each rank's time went, from the trace.
TRACE_FILE=$RESULTS_DIR/lognormal-2x1-trace.json
rm -f "$TRACE_FILE"*
step "taskfarm lognormal 2x1, traced" 120 "${MPIRUN[@]}" 2 "$BIN/taskfarm_bench" --reps 1 --cores 2 --scenario imbalance "${LOGNORMAL[@]}" --trace "$TRACE_FILE"
if [[ -f $TRACE_FILE ]]; then
  while IFS= read -r line; do NOTES+=("Trace of one lognormal 2x1 call (default settings): $line"); done \
    < <("$PY" "$BENCH_DIR/tools/idle_report.py" "$TRACE_FILE" 2>&1)
fi
step "taskfarm lognormal 1x2" 120 env OMP_NUM_THREADS=2 "${MPIRUN[@]}" 1 "${TF_LONG[@]}" --scenario imbalance --threads 2 "${LOGNORMAL[@]}"
step "naive Boost.MPI farm, lognormal, 3 ranks" 120 "${MPIRUN[@]}" 3 "$BIN/naive_boost_farm" --mode lognormal --reps "$LONG_REPS" "${LOGNORMAL[@]}"
if [[ -x $BIN/dynampi_peer ]]; then
  step "DynaMPI, 2 ranks" 300 "${MPIRUN[@]}" 2 "$BIN/dynampi_peer" --reps "$LONG_REPS" --fine-n "$FINE_N" "${LOGNORMAL[@]}"
  step "DynaMPI, 3 ranks (oversubscribed)" 300 "${MPIRUN[@]}" 3 "$BIN/dynampi_peer" --reps "$LONG_REPS" --fine-n "$FINE_N" "${LOGNORMAL[@]}"
fi
step "serial reference (C++, again)" 300 "${MPIRUN[@]}" 1 "${TF_LONG[@]}" --scenario serial "${WORK[@]}" "${LOGNORMAL[@]}"
step "serial reference (Python)" 300 "${POOL[@]}" --scenario serial "${PEER_LONG_ARGS[@]}" "${LOGNORMAL[@]}" --fine-n "$FINE_N"
step "Pool, lognormal" 180 "${POOL[@]}" --scenario imbalance "${PEER_LONG_ARGS[@]}" "${LOGNORMAL[@]}"
step "Pool.map, 1 us tasks" 300 "${POOL[@]}" --scenario fine "${PEER_LONG_ARGS[@]}" --fine-n "$FINE_N"
step "mpi4py.futures, lognormal" 180 "${MPI4PY[@]}" --scenario imbalance "${PEER_LONG_ARGS[@]}" "${LOGNORMAL[@]}"
step "serial reference (Python, again)" 300 "${POOL[@]}" --scenario serial "${PEER_LONG_ARGS[@]}" "${LOGNORMAL[@]}" --fine-n "$FINE_N"

# ---- 5. payload ----------------------------------------------------------------------------------
step "taskfarm payload 2x1" 120 "${MPIRUN[@]}" 2 "${TF_LONG[@]}" --scenario payload

# ---- 6. root memory: one process per n (peak RSS only grows) -----------------------------------
for n in "${MEMORY_NS[@]}"; do
  step "taskfarm memory n=$n" 120 "${MPIRUN[@]}" 2 "${TF[@]}" --scenario memory --n "$n"
done
step "mpi4py.futures memory" 60 "${MPI4PY[@]}" --scenario memory
step "Pool.map memory" 60 "${POOL[@]}" --scenario memory --impl pool_map
step "Pool.imap_unordered memory" 60 "${POOL[@]}" --scenario memory --impl pool_imap_unordered

# ---- 8. fixed costs ------------------------------------------------------------------------------
step "taskfarm fixed cost 2x1" 60 "${MPIRUN[@]}" 2 "${TF[@]}" --scenario fixed-cost

# A whole mpirun, start to end, of MPI hello world and of the demo with 0 tasks, alternating so
# both see the same noise.
time_mpirun() {  # time_mpirun IMPL CONFIG COMMAND...: prints one BENCH record
  local impl=$1 config=$2 start end
  shift 2
  start=$(date +%s%N)
  timeout 60 "$@" >>"$LOG" 2>&1 || return 1
  end=$(date +%s%N)
  echo "BENCH {\"bench\":\"mpirun\",\"impl\":\"$impl\",\"config\":\"$config\",\"seconds\":$(((end - start) / 1000))e-6}"
}
DEMO_ZERO=()
if [[ -n $DEMO ]]; then
  # The demo's flag for the task count, if it has one (the lead may override it).
  if [[ -n ${TASKFARM_DEMO_ZERO_TASKS:-} ]]; then
    read -r -a DEMO_ZERO <<<"$TASKFARM_DEMO_ZERO_TASKS"
  else
    flag=$("$DEMO" --help 2>&1 | grep -oE -- '--(tasks|n|count|num-tasks|ntasks)\b' | head -1 || true)
    [[ -n $flag ]] && DEMO_ZERO=("$flag" 0)
  fi
  ((${#DEMO_ZERO[@]})) || NOTES+=("The demo (taskfarm-demo) has no task-count flag that run.sh recognises (--tasks, --n, --count, --num-tasks, --ntasks); set TASKFARM_DEMO_ZERO_TASKS to the arguments that run it with 0 tasks.")
else
  NOTES+=("The demo (target taskfarm-demo) was not built yet, so the whole-mpirun comparison is not measured.")
fi
printf '%-44s' "mpirun: hello world vs demo (0 tasks)" >&2
for ((rep = 0; rep < REPS; rep++)); do
  time_mpirun mpi_hello "2 ranks" "${MPIRUN[@]}" 2 "$BIN/mpi_hello" >>"$RESULTS" ||
    echo 'BENCH {"bench":"error","impl":"mpirun hello","config":"failed"}' >>"$RESULTS"
  if ((${#DEMO_ZERO[@]})); then
    time_mpirun taskfarm_demo "2 ranks 0 tasks" "${MPIRUN[@]}" 2 "$DEMO" "${DEMO_ZERO[@]}" >>"$RESULTS" ||
      echo 'BENCH {"bench":"error","impl":"mpirun demo","config":"failed"}' >>"$RESULTS"
  fi
done
echo >&2

# The ping-pong and the dispatch again: two launches bracket the run. How fast two ranks talk
# varies from one launch to the next on this VM (0.15 or 0.45 us one way, whatever the load), so
# each figure is the median over the repetitions of both launches.
step "raw MPI ping-pong (again)" 60 "${MPIRUN[@]}" 2 "${PINGPONG[@]}"
step "taskfarm dispatch 2x1 (again)" 180 "${MPIRUN[@]}" 2 "${TF[@]}" --scenario dispatch
step "taskfarm dispatch 1x2 (again)" 180 env OMP_NUM_THREADS=2 "${MPIRUN[@]}" 1 "${TF[@]}" --scenario dispatch --threads 2

# ---- the report ----------------------------------------------------------------------------------
export RB_QUICK=$QUICK RB_REPS=$REPS RB_SECONDS=$((SECONDS - RUN_START)) RB_LOAD_BEFORE=$LOAD_BEFORE
export RB_LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
export RB_CPU=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
export RB_CORES=$(nproc --all)  # not plain nproc: it honours OMP_NUM_THREADS=1
export RB_MEMORY=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')
export RB_KERNEL="Linux $(uname -r)"
export RB_COMPILER=$(c++ --version | head -1)
export RB_MPI=$(mpirun --version 2>&1 | head -1)
export RB_BOOST=$(sed -n 's/^#define BOOST_LIB_VERSION "\(.*\)"/\1/p' /usr/include/boost/version.hpp | tr _ .)
export RB_PYTHON=$("$PY" -c 'import platform; print(platform.python_version())')
export RB_MPI4PY=$("$PY" -c 'import mpi4py; print(mpi4py.__version__)' 2>/dev/null || echo missing)
export RB_COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src include 2>/dev/null || echo "+uncommitted changes in src/ or include/")
export RB_MPI_ENV="OMPI_MCA_btl=self,vader (Open MPI defaults otherwise)"
NOTES_TEXT=$(printf '%s\n' "${NOTES[@]+"${NOTES[@]}"}")
export RB_NOTES=$NOTES_TEXT
"$PY" - "$RESULTS_DIR/machine.json" <<'EOF'
import json, os, sys, datetime
env = os.environ
machine = {
    "quick": env["RB_QUICK"] == "1", "reps": env["RB_REPS"], "seconds": env["RB_SECONDS"],
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "load_before": env["RB_LOAD_BEFORE"], "load_after": env["RB_LOAD_AFTER"], "cpu": env["RB_CPU"],
    "cores": env["RB_CORES"], "memory": env["RB_MEMORY"], "kernel": env["RB_KERNEL"],
    "compiler": env["RB_COMPILER"], "mpi": env["RB_MPI"], "boost": env["RB_BOOST"],
    "python": env["RB_PYTHON"], "mpi4py": env["RB_MPI4PY"], "commit": env["RB_COMMIT"],
    "mpi_env": env["RB_MPI_ENV"], "build_type": "Release",
    "notes": [n for n in env["RB_NOTES"].splitlines() if n],
}
json.dump(machine, open(sys.argv[1], "w"), indent=1)
EOF
mkdir -p "$(dirname "$OUT_MD")"
"$PY" "$BENCH_DIR/tools/make_report.py" "$RESULTS" "$RESULTS_DIR/machine.json" "$OUT_MD"
echo "report: $OUT_MD (raw records: $RESULTS, log: $LOG)" >&2
if grep -q '"bench":"error"' "$RESULTS"; then
  echo "run.sh: some steps failed, see the report's Failures section" >&2
  exit 1
fi
