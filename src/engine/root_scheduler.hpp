// The root's decisions for one call, with no MPI and no bytes: which tasks go to which rank next
// (fresh ranges, or a retry that may run there), how many blocks each rank has in flight, which
// ranks have joined, when the call stops handing out work (an error, a signal, a failure under
// on_error=stop) and when it is over. The root loop (root_loop.cpp) moves the messages and tells
// it what happened; tests/unit/root_scheduler_test.cpp drives it with scripted arrivals.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <taskfarm/options.hpp>

#include "engine/call_outcome.hpp"
#include "engine/chunk_policy.hpp"
#include "engine/task_ledger.hpp"
#include "engine/task_ranges.hpp"

namespace taskfarm::detail {

class RootScheduler {
public:
    using Clock = std::chrono::steady_clock;

    /// A call of `tasks` tasks over ranks with `rank_threads` threads each (the root's included).
    /// `group_blocks`: the other ranks are sub-masters, whose blocks are sized for all their
    /// group's threads (and 2 x `prefetch` of them each), not for one thread.
    RootScheduler(Options const& options, std::vector<int> rank_threads, std::uint64_t tasks,
                  Clock::time_point now = Clock::now(), bool group_blocks = false);

    // --- the ranks ---
    [[nodiscard]] int size() const noexcept { return static_cast<int>(threads_.size()); }
    [[nodiscard]] int root() const noexcept { return options_.root; }
    [[nodiscard]] int threads_of(int rank) const { return threads_[static_cast<std::size_t>(rank)]; }
    /// The workers in the order the first blocks go out: `prefetch` rounds, one block per thread
    /// (with group blocks, 2 x `prefetch` rounds of one block per sub-master).
    [[nodiscard]] std::vector<int> first_round() const;
    /// A worker's Join (its first message of the call).
    void joined(int rank);
    /// A worker gave up on the root (its Left): the call fails, nothing more comes from it.
    void left(int rank, std::string const& call_kind);
    /// Workers that have not joined by the deadline are given up on; the call fails naming them.
    /// True if that happened now.
    bool give_up_if_overdue(Clock::time_point now, std::string const& call_kind);
    [[nodiscard]] bool gone(int rank) const { return joined_[static_cast<std::size_t>(rank)] == kGone; }
    [[nodiscard]] int missing() const noexcept { return missing_; }
    /// Some rank may still answer after the call: its communicator must not be freed.
    [[nodiscard]] bool answers_may_remain() const noexcept { return in_flight_ != 0 || written_off_; }

    // --- the work ---
    /// The next block for worker `rank` (nullopt: none now). Call sent() once it is on its way.
    std::optional<TaskRange> next_for(int rank);
    void sent(int rank);
    /// A worker answered one of its blocks (whatever the answer).
    void answered(int rank);
    /// Whether the root's own threads have something to run, and the next block for them.
    [[nodiscard]] bool can_compute() const;
    std::optional<TaskRange> next_local();
    /// Workers that are below their prefetch and could run a queued retry.
    [[nodiscard]] std::vector<int> ranks_for_retries() const;
    [[nodiscard]] int in_flight() const noexcept { return in_flight_; }
    [[nodiscard]] int outstanding(int rank) const { return outstanding_[static_cast<std::size_t>(rank)]; }
    /// A block of `count` tasks took `seconds` (sizes the next blocks).
    void ran(std::uint64_t count, double seconds) { policy_.observe(count, seconds, 1); }

    // --- results ---
    /// The tasks of a block that give no result: failed, or accepted before.
    [[nodiscard]] std::vector<std::uint64_t> skipped(std::uint64_t first, std::uint64_t count,
                                                     std::span<TaskFailure const> failures) const {
        return ledger_.skipped(first, count, failures);
    }
    /// Failure records name ranks of the whole farm; with groups, this maps one to its sub-master
    /// here (a retry goes to another group).
    void set_rank_map(std::vector<int> const* level_of_farm_rank) { level_of_ = level_of_farm_rank; }
    /// A block's results were accepted but for `skip`; its failures are retried or failed for good.
    void accepted(std::uint64_t first, std::uint64_t count, std::span<std::uint64_t const> skip,
                  std::vector<TaskFailure> const& failures);
    /// Tasks a journal says are done (or that must not run): never handed out.
    void mark_done(std::uint64_t first, std::uint64_t count, std::span<std::uint64_t const> skip) {
        ledger_.mark_done(first, count, skip);
    }
    std::uint64_t remove(std::uint64_t first, std::uint64_t count) { return ranges_.remove(first, count); }
    void fail_for_good(TaskFailure failure) { ledger_.fail_for_good(std::move(failure)); }
    [[nodiscard]] std::uint64_t to_hand_out() const noexcept { return ranges_.remaining(); }
    [[nodiscard]] std::uint64_t done() const noexcept { return ledger_.done(); }
    [[nodiscard]] std::size_t failed() const noexcept { return ledger_.failed().size(); }
    [[nodiscard]] std::uint64_t tasks() const noexcept { return ledger_.tasks(); }

    // --- stopping ---
    /// The call fails with `error` (the first one is kept).
    void fail(std::exception_ptr error);
    /// Runs `f`; what it throws fails the call. False if it threw.
    template <class F>
    bool guarded(F&& f) {
        try {
            f();
            return true;
        } catch (...) {
            fail(std::current_exception());
            return false;
        }
    }
    [[nodiscard]] bool failed_call() const noexcept { return error_ != nullptr; }
    /// A signal stops the hand-out; true the first time (then every worker must be told to drain).
    bool interrupt(int signal, Clock::time_point now);
    [[nodiscard]] int interrupted() const noexcept { return signal_; }
    /// No more work is handed out.
    [[nodiscard]] bool stopping() const;
    /// The call is over: nothing left to run here or to wait for, and every rank has joined (so
    /// the Stop reaches only ranks in this call); or the grace after a signal is spent.
    [[nodiscard]] bool finished(Clock::time_point now, bool local_idle) const;
    /// How the call ended. `resumable`: a journal keeps what was done (for the interrupt's message).
    [[nodiscard]] CallOutcome outcome(bool resumable) const;

private:
    static constexpr char kGone = 2;
    [[nodiscard]] bool alone() const { return size() == 1; }
    [[nodiscard]] bool root_computes() const { return options_.root_computes || alone(); }
    // Retries go to another rank than the one they failed on, unless only one rank computes.
    [[nodiscard]] bool one_computing_rank() const { return size() - (root_computes() ? 0 : 1) == 1; }
    [[nodiscard]] bool has_work_for(int rank) const {
        return !ranges_.empty() || ledger_.has_retry_for(rank, one_computing_rank());
    }
    std::optional<TaskRange> next_block(int rank, int slots);
    [[nodiscard]] int slots_of(int rank) const { return group_blocks_ ? threads_of(rank) : 1; }
    // A sub-master cuts a group block into pieces that queue `prefetch` deep on its workers, so a
    // block stays open for about a queue's length after its last piece is cut. With only
    // `prefetch` blocks, what a group holds is what its workers' queues hold, and the sub-master
    // waits for a block to close before it has a piece to hand out; with twice as many, one
    // half is cut while the other drains.
    static constexpr int kGroupBlocksPerPrefetch = 2;
    [[nodiscard]] int blocks_ahead(int rank) const {
        return group_blocks_ ? kGroupBlocksPerPrefetch * options_.prefetch : options_.prefetch * threads_of(rank);
    }
    void write_off(int rank);

    Options options_;
    bool group_blocks_;
    std::vector<int> threads_;
    TaskRanges ranges_;
    TaskLedger ledger_;
    ChunkPolicy policy_;
    std::vector<int> outstanding_;
    std::vector<char> joined_;  // per rank: 0 not yet, 1 joined, kGone: nothing more expected from it
    int missing_ = 0;
    int in_flight_ = 0;
    bool written_off_ = false;
    Clock::time_point join_deadline_;
    int signal_ = 0;
    Clock::time_point grace_deadline_{};
    std::exception_ptr error_;
    std::vector<int> const* level_of_ = nullptr;
    std::vector<int> const* names_ = nullptr;  // this level's ranks as farm ranks (messages), if not the same
public:
    void set_rank_names(std::vector<int> const* farm_ranks) {
        names_ = farm_ranks && !farm_ranks->empty() ? farm_ranks : nullptr;
    }

private:
    [[nodiscard]] int name_of(int rank) const { return names_ ? (*names_)[static_cast<std::size_t>(rank)] : rank; }
};

}  // namespace taskfarm::detail
