#!/usr/bin/env bash
# Checks every tracked C++ file against .clang-format; exits 1 with the list of files that differ.
# Other clang-format versions break lines differently: CI uses Debian 12's (14), from
# scripts/install-deps.sh. CLANG_FORMAT picks another binary.
set -euo pipefail
cd "$(dirname "$0")/.."

tool=${CLANG_FORMAT:-}
if [[ -z $tool ]]; then
  for candidate in clang-format-14 clang-format; do
    command -v "$candidate" >/dev/null && { tool=$candidate; break; }
  done
fi
if [[ -z $tool ]] || ! command -v "$tool" >/dev/null; then
  echo "check_format: clang-format not found: install it (bash scripts/install-deps.sh, or apt-get install clang-format)" >&2
  exit 2
fi
version=$("$tool" --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
[[ $version == 14 ]] || echo "check_format: $tool is version ${version:-unknown}, CI uses 14: line breaks may differ" >&2

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' '*.c')
else  # an unpacked tarball
  mapfile -t files < <(find src include apps tests benchmarks sim cmake -name '*.[ch]pp' -o -name '*.[ch]' | sort)
fi

present=()
for f in "${files[@]}"; do [[ -f $f ]] && present+=("$f"); done  # skip deleted, not yet committed
# One run over all files; each misformatted line is a "FILE:LINE:COL: error: ..." line.
status=0
report=$("$tool" --dry-run -Werror "${present[@]}" 2>&1 >/dev/null) || status=$?
mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' <<<"$report" |
                   sort -u)
if ((status != 0 && ${#bad[@]} == 0)); then  # not a format report: e.g. a broken .clang-format
  echo "check_format: $tool failed (exit $status):" >&2
  echo "$report" >&2
  exit 2
fi

if ((${#bad[@]} > 0)); then
  echo "check_format: ${#bad[@]} of ${#files[@]} C++ files are not formatted as .clang-format says:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "check_format: fix them with: $tool -i FILE... (all at once: git ls-files -z '*.cpp' '*.hpp' '*.h' '*.c' | xargs -0 $tool -i)" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
