// What an Executor is inside: its own communicator, and either the root's scheduler (a queue of
// submitted tasks, the tasks out on workers, the futures to complete) or a worker's serve loop.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/mpi/communicator.hpp>

#include <taskfarm/detail/future_state.hpp>
#include <taskfarm/executor.hpp>

#include "engine/transport.hpp"

namespace taskfarm::detail {

class ExecutorCore {
public:
    ExecutorCore(boost::mpi::communicator const& comm, ExecutorOptions const& options);
    ExecutorCore(ExecutorCore const&) = delete;
    ExecutorCore& operator=(ExecutorCore const&) = delete;

    [[nodiscard]] bool is_root() const noexcept { return comm_.rank() == options_.root; }
    [[nodiscard]] boost::mpi::communicator const& comm() const noexcept { return comm_; }

    // --- root ---
    std::uint64_t next_id();
    void submit(std::string const& name, Bytes args, std::shared_ptr<FutureStateBase> state);
    /// One round: take results in, hand tasks out (or run one here when alone), run the due
    /// callbacks unless called from inside one. True if anything happened.
    bool progress();
    void wait_idle();
    /// Releases the workers; `cancel` fails the queued tasks instead of running them and skips
    /// callbacks (the root is unwinding from an exception).
    void shutdown(bool cancel);

    // --- workers ---
    /// Runs the tasks the root sends until it says stop.
    void serve();

private:
    struct Queued {
        std::uint64_t id;
        std::string name;
        Bytes args;
        std::shared_ptr<FutureStateBase> state;
    };

    bool receive_outcomes();
    void dispatch();
    void send_batch(int worker);
    void run_one_here();
    bool run_due_callbacks();
    void finish(FutureStateBase& state, bool ok, int rank, ByteView payload);
    void require_root(char const* what) const;

    boost::mpi::communicator comm_;  // a duplicate: the executor's messages never meet the program's
    ExecutorOptions options_;
    std::vector<int> rank_threads_;
    Transport transport_;

    std::uint64_t next_id_ = 0;
    std::uint64_t completions_ = 0;
    std::deque<Queued> queue_;
    std::unordered_map<std::uint64_t, std::shared_ptr<FutureStateBase>> running_;
    std::vector<int> outstanding_;  // batches out on each worker
    std::size_t rotation_ = 0;      // where the next dispatch round starts, so workers share evenly
    std::deque<std::shared_ptr<FutureStateBase>> callbacks_due_;
    int depth_ = 0;  // nesting of progress(): callbacks run at the outermost level only
    bool cancelling_ = false;
    bool shut_down_ = false;
};

}  // namespace taskfarm::detail
