"""Peer: Python's multiprocessing.Pool on the same tasks as taskfarm, with one process per core.

  /usr/bin/python3 pool_peer.py --scenario empty|imbalance|fine|serial|memory [--durations FILE] [--reps R]

Pool.map uses its default chunking (len / (4 x processes)); imap_unordered uses chunksize 1.
`serial` runs the lognormal set and the 1 us set in a plain loop in this process: the reference
that the report divides by cores x the parallel wall time (for Pool and mpi4py.futures alike).
"""

import argparse
import multiprocessing
import sys

from bench_common import (add_common_arguments, calibrated_size, emit, empty_task, peak_rss_bytes, read_durations_us,
                          spin_one_us, spin_task, timed)


def check_identity(results, n):
    if sorted(results) != list(range(n)):
        sys.exit(f"pool_peer: wrong results for {n} empty tasks")


def run_empty(pool, args, layout):
    cases = [
        ("pool_map", "default chunks", 10_000, 50_000_000,
         lambda n: pool.map(empty_task, range(n))),
        ("pool_imap_unordered", "chunksize=1", 1_000, 2_000_000,
         lambda n: list(pool.imap_unordered(empty_task, range(n), chunksize=1))),
    ]
    for impl, chunking, n_start, n_max, call in cases:
        def run(n, call=call):
            seconds, results = timed(lambda: call(n))
            check_identity(results, n)
            return seconds
        n = calibrated_size(run, n_start, args.n_max or n_max, args.min_seconds)
        for rep in range(args.reps):
            seconds = run(n)
            emit("dispatch", impl, f"{layout} {chunking}", rep, n=n, seconds=seconds,
                 tasks_per_s=n / seconds, us_per_task=seconds / n * 1e6)


def run_serial(args):
    """The same tasks in a plain loop in one process, no pool."""
    durations = read_durations_us(args.durations, args.limit)
    cases = [("lognormal", len(durations), lambda: [spin_task(us) for us in durations]),
             (f"spin=1us n={args.fine_n}", args.fine_n, lambda: [spin_one_us(i) for i in range(args.fine_n)])]
    for config, n, call in cases:
        for rep in range(args.reps):
            seconds, _ = timed(call)
            emit("serial", "python", config, rep, n=n, seconds=seconds, us_per_task=seconds / n * 1e6)


def run_fine(pool, args, layout):
    """The 1 us set: Pool.map with its default chunks, against the serial Python loop."""
    n = args.fine_n
    for rep in range(args.reps):
        seconds, results = timed(lambda: pool.map(spin_one_us, range(n)))
        if len(results) != n or any(r != 1.0 for r in results):
            sys.exit("pool_peer: wrong results on the 1 us set")
        emit("granularity", "pool_map", f"{layout} default chunks spin=1us n={n}", rep, n=n, duration_us=1,
             seconds=seconds, nominal_efficiency=n * 1e-6 / args.cores / seconds)


def run_imbalance(pool, args, layout):
    durations = read_durations_us(args.durations, args.limit)
    total_us = sum(durations)
    cases = [
        ("pool_map", "default chunks", lambda: pool.map(spin_task, durations)),
        ("pool_imap_unordered", "chunksize=1",
         lambda: sorted(pool.imap_unordered(spin_task, durations, chunksize=1))),
    ]
    for impl, chunking, call in cases:
        for rep in range(args.reps):
            seconds, results = timed(call)
            expected = durations if impl == "pool_map" else sorted(durations)
            if results != expected:
                sys.exit(f"pool_peer: wrong results from {impl} on the lognormal set")
            emit("imbalance", impl, f"{layout} {chunking}", rep, n=len(durations), seconds=seconds,
                 nominal_efficiency=total_us * 1e-6 / args.cores / seconds)


def run_memory(pool, args, layout, impl):
    """Root memory per task while the results are folded, not kept (one fresh process per impl:
    peak RSS only grows)."""
    n = args.memory_n
    pool.map(empty_task, range(1000))  # warm up
    before = peak_rss_bytes()
    if impl == "pool_map":
        seconds, total = timed(lambda: sum(pool.map(empty_task, range(n))))
        chunking = "default chunks"
    else:
        seconds, total = timed(lambda: sum(pool.imap_unordered(empty_task, range(n), chunksize=1000)))
        chunking = "chunksize=1000"
    if total != n * (n - 1) // 2:
        sys.exit(f"pool_peer: wrong sum from {impl}")
    peak = peak_rss_bytes()
    emit("memory", impl, f"{layout} {chunking} n={n:.0e}", 0, n=n, seconds=seconds,
         baseline_rss_mb=before / 1e6, peak_rss_mb=peak / 1e6, bytes_per_task=(peak - before) / n)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=["empty", "imbalance", "fine", "serial", "memory"], required=True)
    parser.add_argument("--impl", choices=["pool_map", "pool_imap_unordered"], default="pool_map",
                        help="memory scenario: which call to measure")
    parser.add_argument("--procs", type=int, default=2)
    add_common_arguments(parser)
    args = parser.parse_args()

    layout = f"{args.procs} processes"
    if args.scenario == "serial":
        run_serial(args)
        return
    with multiprocessing.Pool(args.procs) as pool:
        if args.scenario == "empty":
            run_empty(pool, args, layout)
        elif args.scenario == "imbalance":
            run_imbalance(pool, args, layout)
        elif args.scenario == "fine":
            run_fine(pool, args, layout)
        else:
            run_memory(pool, args, layout, args.impl)


if __name__ == "__main__":
    main()
