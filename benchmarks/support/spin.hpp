/// @file
/// @brief A busy task of a given duration: spins on steady_clock until the time has passed, so it
/// occupies a core the whole time (a sleep would let another process use the core and flatter
/// the efficiency).
#pragma once

#include <chrono>

namespace bench {

inline void spin_for(std::chrono::nanoseconds duration) {
    auto const end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
    }
}

inline void spin_for_us(double microseconds) {
    spin_for(std::chrono::nanoseconds(static_cast<long long>(microseconds * 1e3)));
}

}  // namespace bench
