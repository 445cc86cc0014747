// The hierarchy's communicators: every MPI call that forms groups lives here (the transport).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <string>

#include <taskfarm/errors.hpp>

#include "engine/farm_core.hpp"
#include "engine/group_choice.hpp"
#include "engine/transport_collectives.hpp"

namespace taskfarm::detail {

namespace {

// Each rank's group, by colour (group_choice.hpp): the root alone (0); else by
// Options::group_size over the other ranks in order, or (automatic) by node, the lowest rank of
// the node naming it, or in runs of kAutomaticGroupSize ranks where each node holds one rank.
int group_colour(FarmCore const& core) {
    int const root = core.options.root;
    int const index = core.rank < root ? core.rank : core.rank - 1;  // among the other ranks
    int node_colour = 0;
    int largest_node = 0;
    if (core.options.group_size == 0) {  // collective: every rank asks, the root too
        MPI_Comm node = MPI_COMM_NULL;
        check_mpi(MPI_Comm_split_type(core.comm, MPI_COMM_TYPE_SHARED, core.rank, MPI_INFO_NULL, &node),
                  "MPI_Comm_split_type");
        int lowest = core.rank;
        check_mpi(MPI_Allreduce(MPI_IN_PLACE, &lowest, 1, MPI_INT, MPI_MIN, node), "MPI_Allreduce");
        int node_ranks = 0;
        check_mpi(MPI_Comm_size(node, &node_ranks), "MPI_Comm_size");
        check_mpi(MPI_Comm_free(&node), "MPI_Comm_free");
        check_mpi(MPI_Allreduce(&node_ranks, &largest_node, 1, MPI_INT, MPI_MAX, core.comm), "MPI_Allreduce");
        node_colour = 1 + lowest;
    }
    return group_colour_of(core.rank == root, index, core.options.group_size, node_colour, largest_node);
}

// TASKFARM_GROUP_SIZE sets the automatic choice from outside the program (as OMP_NUM_THREADS
// does threads), so a job script can try the hierarchy without a rebuild.
void apply_environment(Options& options) {
    if (options.group_size != 0) return;
    char const* text = std::getenv("TASKFARM_GROUP_SIZE");
    if (text == nullptr || *text == '\0') return;
    char* end = nullptr;
    long const value = std::strtol(text, &end, 10);
    if (*end != '\0' || value < 1 || value > 1 << 20)
        throw UsageError(std::string("taskfarm: TASKFARM_GROUP_SIZE must be 1 (flat) or a group's rank count, not '") +
                         text + "'");
    options.group_size = static_cast<int>(value);
}

// Collective: the farm's threads in all decide the automatic choice, alike on every rank.
bool wants_groups(FarmCore const& core) {
    if (core.size < 3 || core.options.group_size == 1) return false;
    std::int64_t threads = core.threads;
    if (core.options.group_size == 0)
        check_mpi(MPI_Allreduce(MPI_IN_PLACE, &threads, 1, MPI_INT64_T, MPI_SUM, core.comm), "MPI_Allreduce");
    return detail::wants_groups(core.size, core.options.group_size, threads);
}
}  // namespace

FarmGroups::~FarmGroups() {
    if (keep) return;  // see Farm::~Farm: a freed context may be reused and meet a stale message
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized != 0) return;
    if (group != MPI_COMM_NULL) MPI_Comm_free(&group);
    if (leaders != MPI_COMM_NULL) MPI_Comm_free(&leaders);
}

void form_groups(FarmCore& core) {
    apply_environment(core.options);
    if (!wants_groups(core)) return;
    auto formed = std::make_unique<FarmGroups>();
    int const colour = group_colour(core);
    check_mpi(MPI_Comm_split(core.comm, colour, core.rank, &formed->group), "MPI_Comm_split");
    check_mpi(MPI_Comm_rank(formed->group, &formed->group_rank), "MPI_Comm_rank");
    int group_size = 0;
    check_mpi(MPI_Comm_size(formed->group, &group_size), "MPI_Comm_size");
    // Every rank alone in its group is no hierarchy: all ranks decide alike, from one reduction
    // (no gather of every rank's colour: at 10^5 simulated ranks that would be 40 GB).
    int largest = group_size;
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, &largest, 1, MPI_INT, MPI_MAX, core.comm), "MPI_Allreduce");
    if (largest < 2) return;  // formed's destructor frees the group

    formed->group_threads.resize(static_cast<std::size_t>(group_size));
    formed->group_ranks.resize(static_cast<std::size_t>(group_size));
    check_mpi(MPI_Allgather(&core.threads, 1, MPI_INT, formed->group_threads.data(), 1, MPI_INT, formed->group),
              "MPI_Allgather");
    check_mpi(MPI_Allgather(&core.rank, 1, MPI_INT, formed->group_ranks.data(), 1, MPI_INT, formed->group),
              "MPI_Allgather");
    bool const leader = formed->group_rank == 0;
    // The root first among the leaders: it is rank 0 of their communicator.
    check_mpi(MPI_Comm_split(core.comm, leader ? 0 : MPI_UNDEFINED, core.rank == core.options.root ? -1 : core.rank,
                             &formed->leaders),
              "MPI_Comm_split");
    if (leader) {
        check_mpi(MPI_Comm_rank(formed->leaders, &formed->leader_rank), "MPI_Comm_rank");
        int leaders = 0;
        check_mpi(MPI_Comm_size(formed->leaders, &leaders), "MPI_Comm_size");
        int const total = std::accumulate(formed->group_threads.begin(), formed->group_threads.end(), 0);
        formed->leader_threads.resize(static_cast<std::size_t>(leaders));
        formed->leader_ranks.resize(static_cast<std::size_t>(leaders));
        check_mpi(MPI_Allgather(&total, 1, MPI_INT, formed->leader_threads.data(), 1, MPI_INT, formed->leaders),
                  "MPI_Allgather");
        check_mpi(MPI_Allgather(&core.rank, 1, MPI_INT, formed->leader_ranks.data(), 1, MPI_INT, formed->leaders),
                  "MPI_Allgather");
    }
    // The root learns each rank's sub-master, to retry a failed task in another group.
    int my_leader = formed->leader_rank;
    check_mpi(MPI_Bcast(&my_leader, 1, MPI_INT, 0, formed->group), "MPI_Bcast");
    if (core.is_root()) formed->leader_of.resize(static_cast<std::size_t>(core.size));
    check_mpi(MPI_Gather(&my_leader, 1, MPI_INT, formed->leader_of.data(), 1, MPI_INT, core.options.root, core.comm),
              "MPI_Gather");
    core.groups = std::move(formed);
}

}  // namespace taskfarm::detail
