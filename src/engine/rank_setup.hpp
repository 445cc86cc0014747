// What a Farm and an Executor do on every rank before their first message, in one place: check
// the root and threads, duplicate the communicator, make sure every rank runs the same build, ask
// for a SIGTERM when mpirun dies, resolve the rank's threads and gather everyone's. The MPI C API
// only, like the rest of the engine (it builds under SimGrid's SMPI too).
#pragma once

#include <span>
#include <string>
#include <vector>

#include <mpi.h>

namespace taskfarm::detail {

struct RankSetup {
    MPI_Comm comm = MPI_COMM_NULL;  // a duplicate, the caller's to free: its messages never meet the program's
    int threads = 1;                // this rank's
    std::vector<int> rank_threads;  // every rank's
    std::vector<int> extra;         // every rank's `extra` values, rank after rank
};

/// UsageError unless 0 <= root < comm_size and threads >= 0; `what` names the options struct.
void validate_rank_options(char const* what, int root, int threads, int comm_size);

/// Threads per rank: `requested` if > 0, else OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else 1.
[[nodiscard]] int resolve_threads(int requested);

/// Collective on `comm`. Validates root and threads, duplicates the communicator, checks every rank
/// runs the same program (UsageError naming the odd ranks), installs the launcher-death SIGTERM
/// (with `handle_signals`, under mpirun), and gathers every rank's threads, root and `extra`
/// (UsageError if the ranks disagree on the root).
[[nodiscard]] RankSetup set_up_ranks(char const* what, MPI_Comm comm, int root, int threads, bool handle_signals,
                                     std::span<int const> extra = {});

}  // namespace taskfarm::detail
