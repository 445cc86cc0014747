#!/usr/bin/env bash
# A/B of an engine change, measured side by side in one run: builds taskfarm_bench twice, with
# the engine (src/, include/) of BASE and with the working tree's, both with the working tree's
# benchmarks/, then runs the same scenario alternately (A B A B ...), so both see the same noise.
#
#   benchmarks/tools/ab.sh BASE [--ranks N] [--pairs P] -- TASKFARM_BENCH_ARGS...
#   benchmarks/tools/ab.sh main --ranks 2 --pairs 5 -- --scenario payload --reps 1
#
# Prints each BENCH record with "ab":"A" or "B" added, then the medians of every numeric figure
# per configuration (A, B, B/A). Builds go to build-ab/ (Release; ccache if CCACHE_DIR is set).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASE=${1:?usage: ab.sh BASE [--ranks N] [--pairs P] -- ARGS...}
shift
RANKS=2 PAIRS=5
while (($#)); do
  case $1 in
    --ranks) RANKS=$2; shift ;;
    --pairs) PAIRS=$2; shift ;;
    --) shift; break ;;
    *) echo "ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
OUT=$ROOT/build-ab
mkdir -p "$OUT/src-A"
launcher=()
[[ -n ${CCACHE_DIR:-} ]] && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# A: BASE's tree with the working tree's benchmarks/ (the same measurement code on both sides).
rm -rf "$OUT/src-A" && mkdir -p "$OUT/src-A"
git -C "$ROOT" archive "$BASE" | tar -x -C "$OUT/src-A"
rm -rf "$OUT/src-A/benchmarks" && cp -r "$ROOT/benchmarks" "$OUT/src-A/benchmarks"
for side in A B; do
  src=$ROOT
  [[ $side == A ]] && src=$OUT/src-A
  cmake -S "$src" -B "$OUT/build-$side" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >"$OUT/build-$side.log" 2>&1
  cmake --build "$OUT/build-$side" -j2 --target taskfarm_bench >>"$OUT/build-$side.log" 2>&1 ||
    { echo "ab.sh: build $side failed, see $OUT/build-$side.log" >&2; exit 1; }
done
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
records=$OUT/records.jsonl
: >"$records"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((pair = 0; pair < PAIRS; pair++)); do
  for side in A B; do
    mpirun --oversubscribe --bind-to none -n "$RANKS" "$OUT/build-$side/benchmarks/taskfarm_bench" "$@" |
      sed -n "s/^BENCH {/BENCH {\"ab\":\"$side\",/p" | tee -a "$records"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 - "$records" <<'PY'
import collections, json, statistics, sys
figures = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    r = json.loads(line[len("BENCH "):])
    for k, v in r.items():
        if isinstance(v, (int, float)) and k not in ("rep", "n"):
            figures[(r.get("bench"), r.get("config"), k)][r["ab"]].append(v)
print(f"{'measurement':70} {'A':>12} {'B':>12} {'B/A':>7}")
for (bench, config, k), sides in sorted(figures.items()):
    a = statistics.median(sides["A"]) if sides["A"] else None
    b = statistics.median(sides["B"]) if sides["B"] else None
    r = f"{b / a:7.3f}" if a and b else ""
    print(f"{bench + ' ' + config + ' ' + k:70} {a or 0:12.4g} {b or 0:12.4g} {r}")
PY
