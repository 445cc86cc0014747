#include "engine/chunk_policy.hpp"

#include <algorithm>
#include <cmath>

namespace taskfarm::detail {

ChunkPolicy::ChunkPolicy(std::uint64_t fixed_size, double target_seconds, int total_slots)
    : fixed_(fixed_size), target_(target_seconds), total_slots_(std::max(total_slots, 1)) {}

double ChunkPolicy::seconds_per_task() const noexcept {
    return observed_tasks_ == 0 ? 0.0 : observed_thread_seconds_ / static_cast<double>(observed_tasks_);
}

std::uint64_t ChunkPolicy::next_size(int slots, std::uint64_t remaining) {
    if (remaining == 0) return 0;
    if (fixed_ > 0) return std::min(fixed_, remaining);
    auto const s = static_cast<std::uint64_t>(std::max(slots, 1));

    // Before any measurement: one task per thread, the cheapest probe of the task cost.
    std::uint64_t size = s;
    if (observed_tasks_ > 0) {
        double const per_task = std::max(seconds_per_task(), 1e-10);
        double const wanted = target_ * static_cast<double>(s) / per_task;
        size = static_cast<std::uint64_t>(std::clamp(wanted, 1.0, static_cast<double>(max_chunk)));
        size = std::min(size, std::max(2 * largest_, s));  // the estimate may still be settling
    }
    // Factoring: at most half of this rank's share of what is left, so the tail is balanced.
    std::uint64_t const share = (remaining * s + 2 * static_cast<std::uint64_t>(total_slots_) - 1) /
                                (2 * static_cast<std::uint64_t>(total_slots_));
    size = std::clamp<std::uint64_t>(std::min(size, share), 1, remaining);
    largest_ = std::max(largest_, size);
    return size;
}

void ChunkPolicy::observe(std::uint64_t count, double seconds, int slots) {
    if (fixed_ > 0 || count == 0) return;
    observed_thread_seconds_ += std::max(seconds, 0.0) * std::max(slots, 1);
    observed_tasks_ += count;
}

}  // namespace taskfarm::detail
