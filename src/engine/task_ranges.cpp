#include "engine/task_ranges.hpp"

#include <algorithm>
#include <iterator>

namespace taskfarm::detail {

TaskRanges::TaskRanges(std::uint64_t n) : remaining_(n) {
    if (n > 0) todo_.emplace(0, n);
}

std::uint64_t TaskRanges::remove(std::uint64_t first, std::uint64_t count) {
    std::uint64_t const end = first + count;
    std::uint64_t const before = remaining_;
    auto it = todo_.upper_bound(first);
    if (it != todo_.begin()) it = std::prev(it);
    while (it != todo_.end() && it->first < end) {
        auto const [lo, hi] = *it;
        if (hi <= first) {
            ++it;
            continue;
        }
        it = todo_.erase(it);
        if (lo < first) todo_.emplace(lo, first);
        if (hi > end) todo_.emplace(end, hi);
        remaining_ -= std::min(hi, end) - std::max(lo, first);
    }
    return before - remaining_;
}

std::optional<TaskRange> TaskRanges::take(std::uint64_t max_count) {
    if (todo_.empty() || max_count == 0) return std::nullopt;
    auto it = todo_.begin();
    auto const [lo, hi] = *it;
    std::uint64_t const count = std::min(max_count, hi - lo);
    todo_.erase(it);
    if (lo + count < hi) todo_.emplace(lo + count, hi);
    remaining_ -= count;
    return TaskRange{lo, count};
}

}  // namespace taskfarm::detail
