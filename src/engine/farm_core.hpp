// What a Farm is inside: its own communicator, its options, and the two halves of the protocol.
// The engine speaks the MPI C API only (no Boost.MPI), so it also builds under SimGrid's SMPI.
#pragma once

#include <cstdint>
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

struct FarmCore {
    MPI_Comm comm = MPI_COMM_NULL;  // a duplicate (owned by the caller): the farm's messages never meet the program's
    int rank = 0;                   // this rank in comm
    int size = 1;                   // ranks in comm
    Options options;
    int threads = 1;                 // this rank's OpenMP threads
    std::vector<int> rank_threads;   // every rank's, as the root needs them to size chunks
    std::uint32_t calls = 0;         // farm calls so far, stamped on every message
    std::uint32_t journaled_calls = 0;  // journaled calls so far (every rank counts them)
    std::uint32_t section = 0;          // the current call's journal section: call n uses section n
    FarmTags tags;                      // this farm's own message tags
    std::uint64_t run_id = 0;           // the root's id for this run, in crash records
    bool in_call = false;               // a call of this farm is running (nested calls are refused)
    bool keep_communicator = false;     // a message may be left unreceived: never free comm (~Farm)
    Statistics statistics;              // root: the last call's, when gathered
    SignalHold signals;

    [[nodiscard]] bool is_root() const { return rank == options.root; }
    /// Whether every call ends with gathering the ranks' traces (for statistics or a trace file).
    [[nodiscard]] bool gathers_trace() const { return options.statistics || !options.trace.empty(); }
    [[nodiscard]] int total_slots() const {
        int total = 0;
        for (int t : rank_threads) total += t;
        return total;
    }
};

/// The root's side of one call: hands out blocks, computes its own, collects results.
void run_root(FarmCore& core, Job& job);
/// A worker's side of one call: runs the blocks it is sent until the root says stop.
void run_worker(FarmCore& core, Job& job);

/// Threads per rank from the options, else OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else 1.
int resolve_threads(Options const& options);

}  // namespace taskfarm::detail
