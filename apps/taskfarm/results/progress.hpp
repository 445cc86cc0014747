/// @file
/// @brief Progress of a run on the root: a live line on a terminal, else a status line every
/// --status-interval seconds (for SLURM output files, which must not fill with redraws).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

#include "console.hpp"

namespace taskfarm::cli {

struct ProgressCounts {
    std::size_t total = 0;   ///< tasks this run will run (resumed ones excluded)
    std::size_t done = 0;    ///< finished, whatever the result
    std::size_t failed = 0;  ///< of which failed (timeouts included)
    double elapsed = 0;      ///< seconds since the run started
};

/// "37/100 done, 2 failed, 1.9 tasks/s, ETA 0:00:33" (ETA "?" before the first task finishes).
[[nodiscard]] std::string format_progress(ProgressCounts const& counts);

/// "1:02:03" for 3723 seconds.
[[nodiscard]] std::string format_duration(double seconds);

/// Draws the progress from its own thread, so a status line comes on time even while no task
/// finishes. Stops (and joins) at destruction.
class ProgressReporter {
public:
    /// `interval`: seconds between status lines when the console is not live (0: none).
    ProgressReporter(Console& console, std::size_t total, double interval);
    ~ProgressReporter();
    ProgressReporter(ProgressReporter const&) = delete;
    ProgressReporter& operator=(ProgressReporter const&) = delete;

    /// Counts one finished task (called from the farm's callback).
    void task_done(bool failed);
    /// Stops drawing and removes the live line.
    void finish();

private:
    void loop();
    [[nodiscard]] ProgressCounts snapshot_locked() const;

    Console& console_;
    double interval_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    ProgressCounts counts_;
    bool finished_ = false;
    std::thread thread_;
};

}  // namespace taskfarm::cli
