// What an Executor is inside: the rank set-up it shares with Farm (engine/rank_setup.hpp), and
// either the root's scheduler (the tasks queued on the root, those out on ranks, the futures to
// complete) or a worker's serve loop (executor_worker.cpp). Tasks travel one per message on the
// engine's wire and run on the engine's BlockPool, one per thread, so each future completes
// when its own task ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/mpi/communicator.hpp>

#include <taskfarm/detail/future_state.hpp>
#include <taskfarm/executor.hpp>

#include "engine/farm_core.hpp"
#include "engine/rank_setup.hpp"
#include "engine/transport.hpp"
#include "executor/executor_job.hpp"
#include "executor/root_pool.hpp"
#include "trace/trace_recorder.hpp"

namespace taskfarm::detail {

class ExecutorCore {
public:
    ExecutorCore(boost::mpi::communicator const& comm, ExecutorOptions const& options);
    /// Root: futures still not done fail ("the executor is gone"); the root's threads are joined.
    ~ExecutorCore();
    ExecutorCore(ExecutorCore const&) = delete;
    ExecutorCore& operator=(ExecutorCore const&) = delete;

    [[nodiscard]] bool is_root() const noexcept { return comm_.rank() == options_.root; }
    [[nodiscard]] boost::mpi::communicator const& comm() const noexcept { return comm_; }
    [[nodiscard]] int threads() const noexcept { return setup_.threads; }
    [[nodiscard]] Statistics const& statistics() const noexcept { return statistics_; }

    // --- root ---
    std::uint64_t next_id();
    void submit(std::string const& name, Bytes args, std::shared_ptr<FutureStateBase> state);
    /// One round: take outcomes in, hand tasks out, fail tasks over their timeout, act on a signal
    /// (throws Interrupted), run the due callbacks unless called from inside one. True if anything
    /// happened.
    bool progress();
    void wait_idle();
    /// Python's cancel() of a future of this executor.
    bool cancel(FutureStateBase& state);
    void shutdown(bool wait, bool cancel_futures);
    /// The root is unwinding from an exception: cancels the queued tasks (no callbacks), waits for
    /// those out on ranks, releases the workers.
    void abandon();

    // --- workers ---
    /// Runs the tasks the root sends, as many at once as the rank has threads, until it says stop.
    void serve();

private:
    struct Queued {
        std::shared_ptr<FutureStateBase> state;
        std::string name;
        Bytes args;
    };
    struct Running {
        std::shared_ptr<FutureStateBase> state;  // null once it timed out (its outcome is dropped)
        int rank = 0;
        std::chrono::steady_clock::time_point deadline;
    };

    bool receive_outcomes();
    bool collect_local();
    void finish(std::uint64_t id, int rank, bool ok, ByteView payload, std::string const& error);
    void dispatch();
    int pick_rank() const;
    void hand_out(Queued task, int rank);
    bool expire_timeouts();
    void act_on_signal();
    bool run_due_callbacks();
    void cancel_queued(bool run_callbacks);
    [[nodiscard]] bool nothing_left() const;
    void progress_until_idle();
    void release_workers(CallStatus status);
    [[nodiscard]] bool gathers_trace() const { return options_.statistics || !options_.trace.empty(); }
    void gather_trace();
    void require_root(char const* what) const;
    [[nodiscard]] int thread_slots(int rank) const;

    ExecutorOptions options_;
    RankSetup setup_;
    boost::mpi::communicator comm_;  // the set-up's duplicate: the executor's messages never meet the program's
    Transport transport_;
    SignalHold signals_;
    ExecutorJob job_;
    std::unique_ptr<RootPool> local_;          // root: its own task threads, if it computes
    std::unique_ptr<TraceRecorder> recorder_;  // this rank's tasks, messages and waits
    Statistics statistics_;                    // root, after shutdown

    std::uint64_t next_id_ = 0;
    std::uint64_t completions_ = 0;
    std::deque<Queued> queue_;
    std::unordered_map<std::uint64_t, Running> running_;
    std::size_t timed_out_ = 0;     // entries of running_ whose future already failed
    std::vector<int> outstanding_;  // tasks out on each rank (the root's own threads included)
    std::deque<std::shared_ptr<FutureStateBase>> callbacks_due_;
    int signal_ = 0;  // a signal caught (here or reported by a worker), not yet acted on
    int signal_rank_ = -1;
    int depth_ = 0;                   // nesting of progress(): callbacks run at the outermost level only
    bool closing_ = false;            // shutdown() was called: no more submissions
    bool abandoning_ = false;         // the root unwinds: no callbacks
    bool interrupted_ = false;        // a signal stopped it
    bool released_ = false;           // the workers were sent Stop
    bool keep_communicator_ = false;  // a worker never answered Stop: never free the communicator
    int left_ = 0;                    // workers that answered Stop
};

}  // namespace taskfarm::detail
