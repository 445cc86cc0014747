#!/usr/bin/env bash
# Profiles every rank of an MPI run with perf (Debian's linux-perf), one file per rank, to see
# where the farm's time goes:
#
#   mpirun -n 2 --bind-to none benchmarks/tools/perf_ranks.sh build-bench/benchmarks/taskfarm_bench --scenario payload
#   perf report -i perf-ranks/perf.rank0.data --no-children -g none --sort symbol
#
# cpu-clock sampling works inside VMs without hardware counters. PERF_DIR (default ./perf-ranks)
# receives perf.rank<N>.data.
set -euo pipefail
dir=${PERF_DIR:-perf-ranks}
mkdir -p "$dir"
exec perf record -q -F "${PERF_FREQ:-2000}" -g -e cpu-clock -o "$dir/perf.rank${OMPI_COMM_WORLD_RANK:-0}.data" "$@"
