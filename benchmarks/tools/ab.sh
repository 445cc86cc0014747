#!/usr/bin/env bash
# A/B of an engine change, measured side by side in one run: builds taskfarm_bench twice, with
# the engine (src/, include/) of BASE and with the working tree's (or of --b REF), both with the
# working tree's benchmarks/, then runs the same scenario alternately (A B A B ...), so both see
# the same noise.
#
#   benchmarks/tools/ab.sh BASE [--b REF] [--patch FILE] [--bins BIN_A BIN_B] [--ranks N] [--pairs P] -- ARGS...
#   benchmarks/tools/ab.sh main --ranks 2 --pairs 5 -- --scenario payload --reps 1
#
# --b REF: B is that commit instead of the working tree. --patch FILE: B has FILE applied (git
# apply) to a copy of its tree, for a change to a file that is not to be edited in place.
# Prints each BENCH record with "ab":"A" or "B" added, then the medians of every numeric figure
# per configuration (A, B, B/A). Builds go to build-ab/<side>/ (Release; ccache if CCACHE_DIR is
# set): one folder per commit, so a side measured before is not built again, and only the files
# that changed since are recompiled (the folders share one layout, so ccache hits across them).
# AB_BUILD_ONLY=1 builds and stops (=B: builds B only). --bins BIN_A BIN_B: no build, alternate these two binaries
# (e.g. copies of one build folder's taskfarm_bench before and after a one-file change).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASE=${1:?usage: ab.sh BASE [--b REF] [--patch FILE] [--bins BIN_A BIN_B] [--ranks N] [--pairs P] -- ARGS...}
shift
RANKS=2 PAIRS=5 PATCH="" BREF="" bin_A="" bin_B=""
while (($#)); do
  case $1 in
    --ranks) RANKS=$2; shift ;;
    --pairs) PAIRS=$2; shift ;;
    --b) BREF=$2; shift ;;
    --patch) PATCH=$(realpath "$2"); shift ;;
    --bins) bin_A=$(realpath "$2"); bin_B=$(realpath "$3"); shift 2 ;;
    --) shift; break ;;
    *) echo "ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
OUT=$ROOT/build-ab
mkdir -p "$OUT"
launcher=()
[[ -n ${CCACHE_DIR:-} ]] && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

# Makes $1 hold exactly the tree archived on stdin; files whose bytes did not change keep their
# times, so make recompiles only what changed.
sync_tree() {
  local dir=$1 stage=$1.new
  rm -rf "$stage" && mkdir -p "$stage" "$dir" && tar -x -C "$stage"
  /usr/bin/python3 - "$stage" "$dir" <<'PY'
import filecmp, os, shutil, sys
stage, dest = sys.argv[1:]
want = set()
for top, _, files in os.walk(stage):
    for f in files:
        rel = os.path.relpath(os.path.join(top, f), stage)
        want.add(rel)
        src, dst = os.path.join(stage, rel), os.path.join(dest, rel)
        if not os.path.isfile(dst) or not filecmp.cmp(src, dst, shallow=False):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
for top, _, files in os.walk(dest):
    for f in files:
        rel = os.path.relpath(os.path.join(top, f), dest)
        if rel not in want: os.remove(os.path.join(dest, rel))
PY
  rm -rf "$stage"
}

# The tree of REF (empty: the working tree, tracked and untracked files as git sees them), with the
# working tree's benchmarks/ and maybe a patch, as a tar stream.
tree_of() {
  local ref=$1 patch=$2 tmp
  tmp=$(mktemp -d)
  if [[ -n $ref ]]; then
    git -C "$ROOT" archive "$ref" | tar -x -C "$tmp"
  else
    git -C "$ROOT" ls-files -co --exclude-standard -z | tar -c -C "$ROOT" --null -T - | tar -x -C "$tmp"
  fi
  rm -rf "$tmp/benchmarks" && cp -r "$ROOT/benchmarks" "$tmp/benchmarks"
  if [[ -n $patch ]] && ! (cd "$tmp" && git apply "$patch"); then
    echo "ab.sh: $patch does not apply" >&2; rm -rf "$tmp"; return 1
  fi
  tar -c -C "$tmp" .
  rm -rf "$tmp"
}

# Builds one side in build-ab/NAME/{src,build}; prints the binary's path.
build_side() {
  local name=$1 ref=$2 patch=$3
  tree_of "$ref" "$patch" | sync_tree "$OUT/$name/src"
  cmake -S "$OUT/$name/src" -B "$OUT/$name/build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >"$OUT/$name/build.log" 2>&1
  nice -n 5 cmake --build "$OUT/$name/build" -j2 --target taskfarm_bench >>"$OUT/$name/build.log" 2>&1 ||
    { echo "ab.sh: build of $name failed, see $OUT/$name/build.log" >&2; return 1; }
  echo "$OUT/$name/build/benchmarks/taskfarm_bench"
}

if [[ -n $bin_A ]]; then
  a_name=$bin_A b_name=$bin_B
else
  a_name=A-$(git -C "$ROOT" rev-parse --short "$BASE^{commit}")
  if [[ -n $BREF ]]; then b_name=B-$(git -C "$ROOT" rev-parse --short "$BREF^{commit}"); else b_name=B-worktree; fi
  [[ -n $PATCH ]] && b_name=$b_name-patch-$(sha1sum "$PATCH" | cut -c1-8)
  [[ ${AB_BUILD_ONLY:-0} == B ]] || bin_A=$(build_side "$a_name" "$BASE" "")
  bin_B=$(build_side "$b_name" "$BREF" "$PATCH")
fi
[[ ${AB_BUILD_ONLY:-0} != 0 ]] && exit 0

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
records=$OUT/records.jsonl
: >"$records"
echo "A: $a_name, B: $b_name" >&2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((pair = 0; pair < PAIRS; pair++)); do
  for side in A B; do
    bin=$bin_A
    [[ $side == B ]] && bin=$bin_B
    mpirun --oversubscribe --bind-to none -n "$RANKS" "$bin" "$@" |
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
