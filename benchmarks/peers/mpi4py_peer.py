"""Peer: mpi4py.futures' MPIPoolExecutor on the same tasks as taskfarm.

  mpirun -n 3 --oversubscribe /usr/bin/python3 -m mpi4py.futures mpi4py_peer.py --scenario empty

Started through `-m mpi4py.futures` (rank 0 runs this script, the other ranks are the workers):
dynamic process spawning does not work as root with Debian's Open MPI 4.1.4 without a
pre-started server, and a static pool is what users run under a batch system anyway.
"""

import argparse
import sys

from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor

from bench_common import (add_common_arguments, calibrated_size, emit, empty_task, peak_rss_bytes, read_durations_us,
                          spin_task, timed)


def run_empty(executor, args, layout):
    for chunksize, n_start, n_max in ((1, 200, 200_000), (1000, 10_000, 20_000_000)):
        def run(n, chunksize=chunksize):
            seconds, results = timed(lambda: list(executor.map(empty_task, range(n), chunksize=chunksize)))
            if results != list(range(n)):
                sys.exit("mpi4py_peer: wrong results for empty tasks")
            return seconds
        n = calibrated_size(run, n_start, args.n_max or n_max, args.min_seconds)
        for rep in range(args.reps):
            seconds = run(n)
            emit("dispatch", "mpi4py_futures", f"{layout} chunksize={chunksize}", rep, n=n,
                 seconds=seconds, tasks_per_s=n / seconds, us_per_task=seconds / n * 1e6)


def run_imbalance(executor, args, layout):
    durations = read_durations_us(args.durations, args.limit)
    total_us = sum(durations)
    for chunksize in (1, 100):
        for rep in range(args.reps):
            seconds, results = timed(lambda: list(executor.map(spin_task, durations, chunksize=chunksize)))
            if results != durations:
                sys.exit("mpi4py_peer: wrong results on the lognormal set")
            emit("imbalance", "mpi4py_futures", f"{layout} chunksize={chunksize}", rep, n=len(durations),
                 seconds=seconds, nominal_efficiency=total_us * 1e-6 / args.cores / seconds)


def run_memory(executor, args, layout):
    """Root memory per task while the results are folded, not kept."""
    n = args.memory_n
    list(executor.map(empty_task, range(1000), chunksize=1000))  # warm up
    before = peak_rss_bytes()
    seconds, total = timed(lambda: sum(executor.map(empty_task, range(n), chunksize=1000)))
    if total != n * (n - 1) // 2:
        sys.exit("mpi4py_peer: wrong sum")
    peak = peak_rss_bytes()
    emit("memory", "mpi4py_futures", f"{layout} chunksize=1000 n={n:.0e}", 0, n=n, seconds=seconds,
         baseline_rss_mb=before / 1e6, peak_rss_mb=peak / 1e6, bytes_per_task=(peak - before) / n)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=["empty", "imbalance", "memory"], required=True)
    add_common_arguments(parser)
    args = parser.parse_args()

    layout = f"{MPI.COMM_WORLD.Get_size()} ranks (1 master + {MPI.COMM_WORLD.Get_size() - 1} workers)"
    with MPIPoolExecutor() as executor:
        if args.scenario == "empty":
            run_empty(executor, args, layout)
        elif args.scenario == "imbalance":
            run_imbalance(executor, args, layout)
        else:
            run_memory(executor, args, layout)


if __name__ == "__main__":
    main()
