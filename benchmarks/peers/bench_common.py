"""What the Python peers share with the C++ programs: the record format, the busy task, the
shared durations file and the calibration of task counts (see support/*.hpp for the C++ side)."""

import json
import time


def add_common_arguments(parser):
    """The options every peer takes, named like taskfarm_bench's."""
    parser.add_argument("--cores", type=float, default=2)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--min-seconds", type=float, default=0.25)
    parser.add_argument("--n-max", type=int, default=0, help="cap on empty tasks (0: built-in caps)")
    parser.add_argument("--durations")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--memory-n", type=int, default=1_000_000)
    parser.add_argument("--fine-n", type=int, default=2_000_000, help="tasks of the 1 us set")


def emit(bench, impl, config, rep, **figures):
    """Prints one measurement as `BENCH {...}`, the format every benchmark program uses."""
    record = {"bench": bench, "impl": impl, "config": config, "rep": rep}
    record.update(figures)
    print("BENCH " + json.dumps(record), flush=True)


def empty_task(i):
    """f(i) = i: the wall time is the peer's own overhead."""
    return i


def spin_task(us):
    """Burns `us` microseconds of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID, as
    bench::spin_for_us does) and returns `us`: a preempted task takes longer, like real work."""
    end = time.thread_time_ns() + int(us * 1e3)
    while time.thread_time_ns() < end:
        pass
    return us


def spin_one_us(_):
    """One task of the 1 us set (the argument is its index)."""
    return spin_task(1.0)


def read_durations_us(path, limit=0):
    """The shared lognormal durations (microseconds, one per line)."""
    with open(path) as f:
        durations = [float(line) for line in f if line.strip()]
    return durations[:limit] if limit else durations


def peak_rss_bytes():
    """VmHWM of this process, as the C++ side reads it."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) * 1024.0
    return 0.0


def calibrated_size(run, n_start, n_max, min_seconds):
    """Grows n until run(n) (seconds) lasts min_seconds, as bench::calibrated_size does."""
    n = min(n_start, n_max)
    while True:
        seconds = run(n)
        if seconds >= min_seconds or n >= n_max:
            return n
        factor = min(max(1.3 * min_seconds / max(seconds, 1e-9), 2.0), 64.0)
        n = min(n_max, int(n * factor))


def timed(call):
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result
