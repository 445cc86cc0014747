/// @file
/// @brief A task that burns a given amount of CPU time: it spins on the calling thread's CPU clock
/// (CLOCK_THREAD_CPUTIME_ID), as real computing does. A task that spins on the wall clock ends on
/// time even when it shares its core and did only half its work, which flatters oversubscribed
/// runs; this one takes longer when it is preempted, exactly like a real computation.
///
/// Reading this clock is a system call (about 0.6 us on the project's VM), so a task always burns
/// a little more than asked: efficiencies are therefore taken against a serial run of the same
/// tasks (the "serial" scenario), never against the nominal durations.
#pragma once

#include <time.h>

#include <cstdint>

namespace bench {

/// CPU time this thread has used, in nanoseconds.
inline std::int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// Spins until this thread has used `microseconds` more CPU time.
inline void spin_for_us(double microseconds) {
    std::int64_t const end = thread_cpu_ns() + static_cast<std::int64_t>(microseconds * 1e3);
    while (thread_cpu_ns() < end) {
    }
}

}  // namespace bench
