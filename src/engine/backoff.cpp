#include "engine/backoff.hpp"

#include <sched.h>

#include <thread>

namespace taskfarm::detail {

void Backoff::pause() {
    ++rounds_;
    if (rounds_ <= 16) {
        sched_yield();
        return;
    }
    // 1, 2, 4, ... microseconds up to the cap.
    int const shift = rounds_ - 17 < 20 ? rounds_ - 17 : 20;
    auto wait = std::chrono::microseconds(1LL << shift);
    if (wait > cap_) wait = cap_;
    std::this_thread::sleep_for(wait);
}

}  // namespace taskfarm::detail
