// The root's side of progress: counts what the loop accepts and calls the user's callback,
// rate-limited, and once more when the call ends.
#pragma once

#include <chrono>
#include <cstdint>

#include <taskfarm/progress.hpp>

namespace taskfarm::detail {

class ProgressMeter {
public:
    /// `total`: tasks this call will run. `min_interval`: seconds between callbacks (finish() is
    /// never held back). An empty callback makes every method a no-op.
    ProgressMeter(ProgressCallback callback, std::uint64_t total, double min_interval = 0.1);

    /// Root main thread: `done` more tasks finished, `failed` of them failed for good.
    void add(std::uint64_t done, std::uint64_t failed = 0);
    /// Root main thread, once, however the call ends: the last callback, `finished` set.
    void finish();

    [[nodiscard]] Progress snapshot() const;

private:
    void report();

    using Clock = std::chrono::steady_clock;
    ProgressCallback callback_;
    std::uint64_t total_;
    std::uint64_t done_ = 0;
    std::uint64_t failed_ = 0;
    Clock::duration min_interval_;
    Clock::time_point start_ = Clock::now();
    Clock::time_point last_report_ = start_;
    bool finished_ = false;
};

}  // namespace taskfarm::detail
