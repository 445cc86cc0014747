#!/usr/bin/env bash
# Waiting for a locked journal through the Farm (issue 9). Another process (flock(1)) holds the
# journal of a finished run; a rerun must say on stderr that it waits, go on once the holder lets
# go (released only after the rerun said so: no timing decides the verdict), replay everything
# exactly; with a short Options.journal_lock_wait_seconds it must refuse once the wait is over.
# Usage: lock_wait.sh PROGRAM MPIEXEC RANKS
set -u
program=$1 mpiexec=$2 ranks=$3
tasks=20 task_ms=1 inputs=padded
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=fault_lib.sh
. "$here/fault_lib.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/taskfarm-lockwait-XXXXXX")
cleanup() { kill_leftovers; [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL [lock wait, $ranks ranks]: $*"; for f in "$work"/run*.txt; do echo "--- $f:"; cat "$f"; done; exit 1; }

# hold_lock NAME: a process holding the journal's lock until $work/NAME.release exists.
hold_lock() {
    flock "$work/journal" sh -c "touch '$work/$1.held'; while [ ! -e '$work/$1.release' ]; do sleep 0.02; done" &
    holder=$!
    wait_for_file "$work/$1.held" 30 "$holder" || fail "flock did not take the lock"
}

"$program" --serial --tasks $tasks --out "$work/expected" || fail "serial reference"
fault_run 1 "$ranks"
wait "$mpirun_pid" || fail "the first run failed"

# A rerun while the lock is held waits, and says so.
hold_lock a
fault_run 2 "$ranks" --lock-wait 120
for _ in $(seq 1500); do
    grep -q "is locked by another process.*waiting up to 120.0 s for it" "$work/run2.txt" && break
    alive "$mpirun_pid" || fail "the rerun ended instead of waiting for the lock"
    sleep 0.02
done
grep -q "waiting up to 120.0 s" "$work/run2.txt" || fail "the rerun never said it was waiting"
touch "$work/a.release"
wait "$holder"
wait "$mpirun_pid" || fail "the rerun failed once the lock was free"
grep -q "got the lock after" "$work/run2.txt" || fail "the rerun did not say it got the lock"
cmp -s "$work/expected" "$work/out2" || fail "the rerun's results differ from the serial run"
[ "$(completed "$work/log2")" -eq 0 ] || fail "the rerun ran tasks; everything was journaled"

# With a short wait, the rerun refuses once it is over, naming the wait.
hold_lock b
fault_run 3 "$ranks" --lock-wait 0.5
wait "$mpirun_pid"; rc3=$?
touch "$work/b.release"
wait "$holder"
[ "$rc3" -ne 0 ] || fail "the rerun ran although the journal stayed locked"
grep -q "is in use by another process (it holds the lock, and still did after 0.5 s)" "$work/run3.txt" ||
    fail "no refusal naming the wait"
echo "PASS [lock wait, $ranks ranks]"
