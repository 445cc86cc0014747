// The root's account of one call's tasks: which have a result (so none is consumed twice, whether
// it came from the journal or a retry), how often each failed, which wait to be retried and on
// which rank they must not run again, and which failed for good.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

class TaskLedger {
public:
    TaskLedger(std::uint64_t tasks, int retries);

    /// The tasks of [first, first + count) that this block gives no result for: those in `failed`
    /// and those that have one already. Sorted.
    [[nodiscard]] std::vector<std::uint64_t> skipped(std::uint64_t first, std::uint64_t count,
                                                     std::span<TaskFailure const> failed) const;
    /// Every task of the block not in `skip` now has its result.
    void mark_done(std::uint64_t first, std::uint64_t count, std::span<std::uint64_t const> skip);

    /// A task threw: it is queued for another attempt if it has retries left, else it failed for
    /// good. Returns true in the second case.
    /// `failed_on`: the rank a retry must avoid (by default the record's own).
    bool record_failure(TaskFailure const& failure) { return record_failure(failure, failure.rank); }
    bool record_failure(TaskFailure const& failure, int failed_on);
    /// A task failed for good without running (no retry): a likely culprit of crashes.
    void fail_for_good(TaskFailure failure) { failed_.push_back(std::move(failure)); }

    /// Whether a queued retry may run on `rank`: one that did not fail there, or any when
    /// `any_rank` (a single rank computes).
    [[nodiscard]] bool has_retry_for(int rank, bool any_rank) const;
    /// Takes such a retry.
    std::optional<std::uint64_t> take_retry(int rank, bool any_rank);
    [[nodiscard]] bool has_retries() const noexcept { return !retries_.empty(); }

    [[nodiscard]] std::uint64_t tasks() const noexcept { return tasks_; }
    [[nodiscard]] std::uint64_t done() const noexcept { return done_count_; }
    /// Tasks that failed for good, in the order they failed.
    [[nodiscard]] std::vector<TaskFailure> const& failed() const noexcept { return failed_; }

private:
    struct Retry {
        std::uint64_t index;
        int failed_on;
    };
    /// Marks [first, end) done; returns how many of them were not done before.
    std::uint64_t add_done(std::uint64_t first, std::uint64_t end);

    // Done tasks as disjoint, non-adjacent ranges first -> end: blocks complete nearly in order,
    // so this stays as small as the blocks in flight, whatever the task count (a bit per task
    // was 12 MB of root memory at 10^8 tasks).
    std::map<std::uint64_t, std::uint64_t> done_;
    std::uint64_t tasks_ = 0;
    std::uint64_t done_count_ = 0;
    int max_retries_;
    std::unordered_map<std::uint64_t, int> attempts_failed_;
    std::deque<Retry> retries_;
    std::vector<TaskFailure> failed_;
};

}  // namespace taskfarm::detail
