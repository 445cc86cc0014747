/// @file
/// @brief How a Farm schedules work: chunk size, threads per rank, root rank.
///
/// @code{.cpp}
/// taskfarm::Options opt;
/// opt.chunk_size = 16;   // fixed chunks of 16 tasks (0, the default, adapts to task durations)
/// opt.threads = 4;       // OpenMP threads per rank (0: OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else 1)
/// taskfarm::Farm farm(boost::mpi::communicator(), opt);
/// @endcode
#pragma once

#include <cstddef>

namespace taskfarm {

struct Options {
    /// Tasks per chunk. 0 (the default) is automatic: chunks aim at `chunk_seconds` of work on the
    /// rank that runs them and shrink as the remaining work runs out, so every rank ends together.
    std::size_t chunk_size = 0;

    /// Target duration of one chunk when `chunk_size` is 0, in seconds.
    double chunk_seconds = 0.005;

    /// OpenMP threads per rank. 0: `OMP_NUM_THREADS`, else `SLURM_CPUS_PER_TASK`, else 1.
    int threads = 0;

    /// The rank that reads the inputs and receives the results.
    int root = 0;

    /// Whether the root runs tasks on its own threads between serving the workers. On a few cores
    /// this is a whole core of throughput; on hundreds of ranks the root may be better left to
    /// dispatch only.
    bool root_computes = true;

    /// Chunks each worker holds ahead of the one it runs, so it never waits a round trip for work.
    int prefetch = 2;
};

}  // namespace taskfarm
