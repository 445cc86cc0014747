/// @file
/// @brief How many tasks a measurement needs: the engine's speed is unknown in advance (and the
/// peers differ by 1000x), so each measurement grows its task count until one run lasts long
/// enough to time reliably, instead of hard-coding sizes that are too small or take minutes.
#pragma once

#include <algorithm>
#include <cstddef>

namespace bench {

struct SizePlan {
    std::size_t n_start = 1000;  ///< first try
    std::size_t n_max = 0;       ///< never more (memory, time)
    double min_seconds = 0.25;   ///< a run at least this long is long enough
};

/// Grows n from plan.n_start until `run(n)` (seconds) lasts plan.min_seconds or n reaches plan.n_max.
/// `share(n)` makes the deciding process's n everyone's (a broadcast for collective runs, the
/// identity otherwise); only the deciding process's timing matters.
template <class Run, class Share>
std::size_t calibrated_size(SizePlan const& plan, Run&& run, Share&& share) {
    std::size_t n = share(std::min(plan.n_start, plan.n_max));
    for (;;) {
        double const seconds = run(n);
        std::size_t next = 0;  // 0: n is large enough
        if (seconds < plan.min_seconds && n < plan.n_max) {
            double const factor = std::clamp(1.3 * plan.min_seconds / std::max(seconds, 1e-9), 2.0, 64.0);
            next = std::min(plan.n_max, static_cast<std::size_t>(static_cast<double>(n) * factor));
        }
        next = share(next);
        if (next == 0) return n;
        n = next;
    }
}

}  // namespace bench
