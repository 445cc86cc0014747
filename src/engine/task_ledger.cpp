#include "engine/task_ledger.hpp"

#include <algorithm>
#include <iterator>

namespace taskfarm::detail {

TaskLedger::TaskLedger(std::uint64_t tasks, int retries) : tasks_(tasks), max_retries_(retries) {}

std::uint64_t TaskLedger::add_done(std::uint64_t first, std::uint64_t end) {
    if (first >= end) return 0;
    auto it = done_.upper_bound(first);
    if (it != done_.begin() && std::prev(it)->second >= first) it = std::prev(it);
    std::uint64_t lo = first;
    std::uint64_t hi = end;
    std::uint64_t already = 0;
    // Merge every range that overlaps or touches [first, end).
    while (it != done_.end() && it->first <= end) {
        std::uint64_t const a = std::max(it->first, first);
        std::uint64_t const b = std::min(it->second, end);
        if (b > a) already += b - a;
        lo = std::min(lo, it->first);
        hi = std::max(hi, it->second);
        it = done_.erase(it);
    }
    done_.emplace(lo, hi);
    return (end - first) - already;
}

std::vector<std::uint64_t> TaskLedger::skipped(std::uint64_t first, std::uint64_t count,
                                               std::span<TaskFailure const> failed) const {
    std::vector<std::uint64_t> skip;
    for (auto const& f : failed)
        if (f.index >= first && f.index - first < count) skip.push_back(f.index);
    std::uint64_t const end = first + count;
    auto it = done_.upper_bound(first);
    if (it != done_.begin()) it = std::prev(it);
    for (; it != done_.end() && it->first < end; ++it)
        for (std::uint64_t i = std::max(it->first, first); i < std::min(it->second, end); ++i) skip.push_back(i);
    std::sort(skip.begin(), skip.end());
    skip.erase(std::unique(skip.begin(), skip.end()), skip.end());
    return skip;
}

void TaskLedger::mark_done(std::uint64_t first, std::uint64_t count, std::span<std::uint64_t const> skip) {
    // The runs between skipped tasks (skip is sorted).
    std::uint64_t run = first;
    for (std::uint64_t const s : skip) {
        if (s < run || s >= first + count) continue;
        done_count_ += add_done(run, s);
        run = s + 1;
    }
    done_count_ += add_done(run, first + count);
}

bool TaskLedger::record_failure(TaskFailure const& failure, int failed_on) {
    int& failures = attempts_failed_[failure.index];
    ++failures;
    if (failures <= max_retries_) {
        retries_.push_back(Retry{failure.index, failed_on});
        return false;
    }
    failed_.push_back(failure);
    return true;
}

bool TaskLedger::has_retry_for(int rank, bool any_rank) const {
    return std::any_of(retries_.begin(), retries_.end(),
                       [&](Retry const& r) { return any_rank || r.failed_on != rank; });
}

std::optional<std::uint64_t> TaskLedger::take_retry(int rank, bool any_rank) {
    auto const it = std::find_if(retries_.begin(), retries_.end(),
                                 [&](Retry const& r) { return any_rank || r.failed_on != rank; });
    if (it == retries_.end()) return std::nullopt;
    std::uint64_t const index = it->index;
    retries_.erase(it);
    return index;
}

}  // namespace taskfarm::detail
