// The root's own task threads. The engine's BlockPool runs its threads inside a driver call, but
// the root's main thread belongs to the program between executor calls, so a host thread makes
// that call here and only waits; the main thread pushes tasks and collects finished ones (the
// pool's queues are locked, so any thread may) and keeps every MPI call to itself.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/block_pool.hpp"

namespace taskfarm::detail {

class RootPool {
public:
    RootPool(Job& job, int threads);
    /// Closes the pool and joins it: waits for the tasks running on it (queued ones are dropped).
    ~RootPool();
    RootPool(RootPool const&) = delete;
    RootPool& operator=(RootPool const&) = delete;

    void push(QueuedBlock block) { pool_.push(std::move(block)); }
    std::optional<FinishedBlock> pop_finished() { return pool_.pop_finished(); }
    [[nodiscard]] int threads() const noexcept { return pool_.threads(); }
    /// Starts nothing more; the tasks running go on until they end (the destructor waits for them).
    void close();

private:
    BlockPool pool_;
    std::mutex mutex_;
    std::condition_variable closed_;
    bool closing_ = false;
    std::thread host_;
};

}  // namespace taskfarm::detail
