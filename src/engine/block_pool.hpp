// The threads of one rank during a call, each running whole blocks. The main thread (OpenMP
// thread 0, the only one that calls MPI under MPI_THREAD_FUNNELED) runs the rank's loop — the
// "driver" — which queues blocks and collects finished ones; the other threads take queued blocks
// as they come, so no thread waits for another's slowest task, and a block that arrives while
// others still run starts at once. The driver runs blocks too when it has nothing else to do,
// polling between sub-ranges so messages keep moving.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <taskfarm/detail/job.hpp>

#include "engine/thread_team.hpp"

namespace taskfarm::detail {

struct QueuedBlock {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    Bytes inputs;  // the encoded inputs start at `offset` (a received message keeps its header)
    std::size_t offset = 0;
};

struct FinishedBlock {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    Bytes results;                      // `header_room` bytes, then the job's encoded results
    std::vector<TaskFailure> failures;  // the tasks that threw (rank not yet filled in)
    bool failed_whole = false;          // decoding or encoding failed: no results at all
    int thread = 0;                     // which thread of the rank ran it
    std::chrono::steady_clock::time_point start;
    std::chrono::steady_clock::time_point end;
    [[nodiscard]] double seconds() const { return std::chrono::duration<double>(end - start).count(); }
};

class BlockPool {
public:
    /// `poll` is what the main thread runs between sub-ranges of the blocks it runs itself.
    /// Results are written after `header_room` bytes, so they can be sent without a copy.
    /// With `driver_runs_blocks` false, the pool runs `threads` threads besides the driver, which
    /// only drives (`run_one` runs nothing): for a root that must answer workers at once.
    BlockPool(Job& job, int threads, std::function<void()> poll, std::size_t header_room = 0,
              bool driver_runs_blocks = true);
    BlockPool(BlockPool const&) = delete;
    BlockPool& operator=(BlockPool const&) = delete;

    /// Runs `driver` on the calling thread while the pool's other threads run queued blocks.
    /// When the driver returns (or throws), the other threads finish the blocks they started
    /// and the team joins; blocks still queued are dropped.
    void run(std::function<void()> const& driver);

    // The driver's calls (main thread only).
    void push(QueuedBlock block);
    /// Runs the next queued block on the main thread; false if none is queued.
    bool run_one();
    std::optional<FinishedBlock> pop_finished();
    /// Queued, not yet started.
    [[nodiscard]] std::size_t queued() const;
    /// Queued, running or finished but not yet collected.
    [[nodiscard]] std::size_t in_hand() const;
    /// Gives back a buffer whose message was sent, for the next block's results: a fresh megabyte
    /// buffer costs a page fault (and the kernel's zeroing) per 4 KiB.
    void recycle(Bytes&& buffer);
    /// Drops the blocks not yet started and returns them (an interrupt: the root reschedules them).
    std::vector<QueuedBlock> drop_queued();
    /// Threads that run blocks.
    [[nodiscard]] int threads() const noexcept { return threads_; }
    /// Whether the driver runs blocks too (FinishedBlock::thread counts from 0 either way).
    [[nodiscard]] bool driver_runs_blocks() const noexcept { return driver_runs_blocks_; }

private:
    void helper_thread(int thread);
    [[nodiscard]] std::unique_lock<std::mutex> guard() const;
    FinishedBlock execute(QueuedBlock& block, Team& team, int thread);

    Job& job_;
    int threads_;
    std::function<void()> poll_;
    std::size_t header_room_;
    bool driver_runs_blocks_;
    bool alone_;  // no helper threads: only the driver touches the pool
    // The driver's team, kept across blocks: it polls at most every 100 us, not at the start of
    // every block (the driver's loop polls between blocks anyway).
    ThreadTeam driver_team_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<QueuedBlock> queued_;
    std::deque<FinishedBlock> finished_;
    std::vector<Bytes> spare_;
    std::size_t running_ = 0;
    bool closing_ = false;
};

}  // namespace taskfarm::detail
