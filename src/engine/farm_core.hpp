// What a Farm is inside: its own communicator, its options, and the two halves of the protocol.
// The engine speaks the MPI C API only (no Boost.MPI), so it also builds under SimGrid's SMPI.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <mpi.h>

#include <taskfarm/detail/job.hpp>
#include <taskfarm/options.hpp>
#include <taskfarm/statistics.hpp>

#include "engine/wire.hpp"

namespace taskfarm::detail {

/// Holds the process's stop-signal handlers for as long as the farm lives (see SignalLatch).
class SignalHold {
public:
    SignalHold() = default;
    ~SignalHold();
    /// Installs the handlers (once).
    void hold();
    SignalHold(SignalHold&& other) noexcept : held_(other.held_) { other.held_ = false; }
    SignalHold& operator=(SignalHold&&) = delete;

private:
    bool held_ = false;
};

/// The two-level hierarchy's communicators (Options::group_size), made once per farm.
struct FarmGroups {
    MPI_Comm group = MPI_COMM_NULL;    // this rank's group; its leader, the sub-master, is rank 0
    MPI_Comm leaders = MPI_COMM_NULL;  // the leaders (the root is rank 0); MPI_COMM_NULL elsewhere
    int group_rank = 0;
    std::vector<int> group_threads;   // every rank of the group's threads
    std::vector<int> group_ranks;     // every rank of the group as a rank of the farm
    int leader_rank = -1;             // this rank among the leaders, -1 if not one
    std::vector<int> leader_threads;  // leaders: every group's threads in all
    std::vector<int> leader_ranks;    // leaders: every leader as a rank of the farm
    std::vector<int> leader_of;       // the root: for every rank of the farm, its leader's rank among the leaders
    bool keep = false;                // a message may be left unreceived: never free them
    FarmGroups() = default;
    FarmGroups(FarmGroups const&) = delete;
    FarmGroups& operator=(FarmGroups const&) = delete;
    ~FarmGroups();
};

struct FarmCore {
    MPI_Comm comm = MPI_COMM_NULL;  // a duplicate (owned by the caller): the farm's messages never meet the program's
    int rank = 0;                   // this rank in comm
    int size = 1;                   // ranks in comm
    Options options;
    int threads = 1;                    // this rank's OpenMP threads
    std::vector<int> rank_threads;      // every rank's, as the root needs them to size chunks
    std::uint32_t calls = 0;            // farm calls so far, stamped on every message
    std::uint32_t journaled_calls = 0;  // journaled calls so far (every rank counts them)
    std::uint32_t section = 0;          // the current call's journal section: call n uses section n
    FarmTags tags;                      // this farm's own message tags
    std::uint64_t run_id = 0;           // the root's id for this run, in crash records
    bool in_call = false;               // a call of this farm is running (nested calls are refused)
    bool keep_communicator = false;     // a message may be left unreceived: never free comm (~Farm)
    Statistics statistics;              // root: the last call's, when gathered
    bool leads_groups = false;          // this root hands out blocks to sub-masters, sized for groups
    // One level of a hierarchy: the farm's own communicator and this level's ranks as ranks of it
    // (failure records, messages and the trace name farm ranks). Empty when the farm is flat.
    MPI_Comm farm_comm = MPI_COMM_NULL;
    std::vector<int> farm_ranks;
    int farm_root = -1;
    std::vector<int> const* level_of_farm_rank = nullptr;  // the root: a farm rank's sub-master here
    std::unique_ptr<FarmGroups> groups;                    // the hierarchy, when there is one
    SignalHold signals;

    [[nodiscard]] bool is_root() const { return rank == options.root; }
    /// A rank of this level as a rank of the whole farm (the same when flat).
    [[nodiscard]] int farm_rank(int level_rank) const {
        return farm_ranks.empty() ? level_rank : farm_ranks[static_cast<std::size_t>(level_rank)];
    }
    [[nodiscard]] int farm_rank() const { return farm_rank(rank); }
    [[nodiscard]] MPI_Comm whole_comm() const { return farm_comm != MPI_COMM_NULL ? farm_comm : comm; }
    [[nodiscard]] int whole_root() const { return farm_root >= 0 ? farm_root : options.root; }
    /// Whether every call ends with gathering the ranks' traces (for statistics or a trace file).
    [[nodiscard]] bool gathers_trace() const { return options.statistics || !options.trace.empty(); }
    [[nodiscard]] int total_slots() const {
        int total = 0;
        for (int t : rank_threads) total += t;
        return total;
    }
};

/// One farm call on this rank, whichever part it plays (root, sub-master, worker).
void run_call(FarmCore& core, Job& job);
/// The root's side of one call: hands out blocks, computes its own, collects results.
void run_root(FarmCore& core, Job& job);
/// A sub-master's side (group_loop.cpp): a worker of `top`, the root of `group`.
void run_submaster(FarmCore& top, FarmCore& group, Job& job);
/// Forms the groups of Options::group_size (collective over core.comm), or none.
void form_groups(FarmCore& core);
/// A worker's side of one call: runs the blocks it is sent until the root says stop.
void run_worker(FarmCore& core, Job& job);

/// Threads per rank from the options, else OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else 1.
int resolve_threads(Options const& options);

}  // namespace taskfarm::detail
