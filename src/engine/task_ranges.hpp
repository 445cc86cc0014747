// Which tasks are still to be handed out, always from the lowest index up. Ranges already done
// (a journal's replay) can be removed first; what is handed out never crosses such a gap.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "journal/task_range.hpp"

namespace taskfarm::detail {

using journal::TaskRange;

class TaskRanges {
public:
    /// All of [0, n) is to do.
    explicit TaskRanges(std::uint64_t n);
    /// [first, first + count) needs no doing (already done). Returns how many of them were to do.
    std::uint64_t remove(std::uint64_t first, std::uint64_t count);
    /// The next at most `max_count` tasks, contiguous, from the lowest index left.
    std::optional<TaskRange> take(std::uint64_t max_count);
    /// Tasks not yet taken.
    [[nodiscard]] std::uint64_t remaining() const noexcept { return remaining_; }
    [[nodiscard]] bool empty() const noexcept { return remaining_ == 0; }

private:
    std::map<std::uint64_t, std::uint64_t> todo_;  // first -> end (exclusive), disjoint
    std::uint64_t remaining_ = 0;
};

}  // namespace taskfarm::detail
