#!/usr/bin/env bash
# End to end for `taskfarm report`: a sample trace becomes an SVG that is well-formed XML and that
# headless Chromium renders into a picture showing the busy slices. Also: a bad trace fails
# with a message. Chromium is installed with apt when missing and possible; where it cannot be
# had the test is skipped (exit 77) and says why. Every external command is bounded by a timeout.
# Usage: report_renders.sh TASKFARM_BINARY WRITE_SAMPLE_TRACE_BINARY
set -euo pipefail
taskfarm=$1
write_sample=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A call of 3 ranks x 2 threads, drawn.
timeout 60 "$write_sample" "$work/run.trace.json" 2000 3 2
timeout 60 "$taskfarm" report "$work/run.trace.json" -o "$work/timeline.svg" > "$work/stdout" || fail "report failed"
grep -q "2000 tasks on 3 ranks (6 threads)" "$work/stdout" || fail "no statistics: $(cat "$work/stdout")"
grep -q "timeline: $work/timeline.svg" "$work/stdout" || fail "did not say where the timeline went"
[[ -s "$work/timeline.svg" ]] || fail "no SVG written"

# Default output name, and errors by exit status and message.
timeout 60 "$taskfarm" report -q "$work/run.trace.json"
[[ -s "$work/run.trace.svg" ]] || fail "no SVG next to the trace by default"
echo '{"traceEvents": [' > "$work/broken.json"
status=0
timeout 60 "$taskfarm" report "$work/broken.json" -o "$work/broken.svg" 2> "$work/stderr" || status=$?
[[ $status -eq 1 ]] || fail "a broken trace gave exit status $status, not 1"
grep -q "broken.json: the trace is not valid JSON" "$work/stderr" || fail "unclear error: $(cat "$work/stderr")"
status=0
timeout 60 "$taskfarm" report 2> /dev/null || status=$?
[[ $status -eq 255 ]] || fail "no trace given gave exit status $status, not 255 (usage)"

# Well-formed XML.
can_install() { [[ $(id -u) -eq 0 ]] && command -v apt-get > /dev/null; }
if ! command -v xmllint > /dev/null && can_install; then
  timeout 300 apt-get install -y --no-install-recommends libxml2-utils > "$work/apt-xml.log" 2>&1 || true
fi
if command -v xmllint > /dev/null; then
  timeout 60 xmllint --noout "$work/timeline.svg" || fail "the SVG is not well-formed XML"
elif command -v python3 > /dev/null; then
  timeout 60 python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$work/timeline.svg" \
    || fail "the SVG is not well-formed XML"
else
  echo "SKIP: neither xmllint nor python3 to check the XML (apt-get install libxml2-utils)"; exit 77
fi

# Rendered by a browser.
find_chromium() { command -v chromium || command -v chromium-browser || command -v google-chrome || true; }
browser=$(find_chromium)
if [[ -z $browser ]] && can_install; then
  echo "installing chromium with apt-get (once)..."
  timeout 400 apt-get install -y --no-install-recommends chromium > "$work/apt-chromium.log" 2>&1 || true
  browser=$(find_chromium)
fi
if [[ -z $browser ]]; then
  echo "SKIP: Chromium is not installed and cannot be installed here (apt-get install chromium as root)"
  exit 77
fi
height=$(grep -o 'height="[0-9.]*"' "$work/timeline.svg" | head -n 1 | grep -o '[0-9]*' | head -n 1)
mkdir -p "$work/home"
HOME=$work/home timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
  --user-data-dir="$work/profile" --window-size="1200,$height" --screenshot="$work/shot.png" \
  "file://$work/timeline.svg" > "$work/chromium.log" 2>&1 || fail "chromium failed: $(tail -n 5 "$work/chromium.log")"
[[ -s "$work/shot.png" ]] || fail "chromium wrote no screenshot: $(tail -n 5 "$work/chromium.log")"
if command -v python3 > /dev/null; then
  timeout 120 python3 "$here/png_check.py" "$work/shot.png" 1200 "$height"
else
  echo "python3 missing: only checked that the screenshot is not empty"
fi
if [[ -n ${TASKFARM_TEST_ARTIFACTS:-} ]]; then
  mkdir -p "$TASKFARM_TEST_ARTIFACTS" && cp "$work/timeline.svg" "$work/shot.png" "$TASKFARM_TEST_ARTIFACTS/"
fi
echo "PASS: the timeline is well-formed and renders"
