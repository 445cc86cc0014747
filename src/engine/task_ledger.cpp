#include "engine/task_ledger.hpp"

#include <algorithm>

namespace taskfarm::detail {

TaskLedger::TaskLedger(std::uint64_t tasks, int retries) : done_(tasks, false), max_retries_(retries) {}

std::vector<std::uint64_t> TaskLedger::skipped(std::uint64_t first, std::uint64_t count,
                                               std::span<TaskFailure const> failed) const {
    std::vector<std::uint64_t> skip;
    for (auto const& f : failed)
        if (f.index >= first && f.index - first < count) skip.push_back(f.index);
    for (std::uint64_t i = first; i < first + count; ++i)
        if (done_[i]) skip.push_back(i);
    std::sort(skip.begin(), skip.end());
    skip.erase(std::unique(skip.begin(), skip.end()), skip.end());
    return skip;
}

void TaskLedger::mark_done(std::uint64_t first, std::uint64_t count, std::span<std::uint64_t const> skip) {
    auto next_skip = skip.begin();
    for (std::uint64_t i = first; i < first + count; ++i) {
        while (next_skip != skip.end() && *next_skip < i) ++next_skip;
        if (next_skip != skip.end() && *next_skip == i) continue;
        if (!done_[i]) {
            done_[i] = true;
            ++done_count_;
        }
    }
}

bool TaskLedger::record_failure(TaskFailure const& failure) {
    int& failures = attempts_failed_[failure.index];
    ++failures;
    if (failures <= max_retries_) {
        retries_.push_back(Retry{failure.index, failure.rank});
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
