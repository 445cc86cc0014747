/// @file
/// @brief Progress of a run on the root: a live line on a terminal, else a status line every
/// --status-interval seconds (for SLURM output files, which must not fill with redraws). The
/// counting, rate and ETA are the library's (detail::ProgressMeter) and so is the line
/// (taskfarm::format_progress): a farm call's progress bar and the command's read alike. What
/// stays here is what the library's bar lacks: a thread, so that a status line comes on time
/// while no task finishes, and the console, so that the live line never lands inside a task's
/// output.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

#include <taskfarm/progress.hpp>

#include "console.hpp"
#include "trace/progress_meter.hpp"

namespace taskfarm::cli {

/// "1:02:03" for 3723 seconds.
[[nodiscard]] std::string format_duration(double seconds);

/// Draws the progress from its own thread. Stops (and joins) at destruction.
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
    [[nodiscard]] std::string line(Progress const& progress) const;

    Console& console_;
    double interval_;
    mutable std::mutex mutex_;  // the meter is touched by the farm's callback and by our thread
    std::condition_variable wake_;
    detail::ProgressMeter meter_;
    bool finished_ = false;
    std::thread thread_;
};

}  // namespace taskfarm::cli
