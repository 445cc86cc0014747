/// @file
/// @brief Progress of a farm call as it runs, on the root: a callback of your own, or a
/// ready-made progress bar on stderr.
///
/// @code{.cpp}
/// auto bar = taskfarm::stderr_progress();          // [######----]  61.0%  610/1000 tasks  ...
/// auto mine = [](taskfarm::Progress const& p) { log(p.done, p.total); };
/// @endcode
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace taskfarm {

/// Where a call stands. Called on the root's main thread, at most every 0.1 s while tasks
/// complete, and once more at the end (`finished`).
struct Progress {
    std::uint64_t done = 0;    ///< tasks finished (failed ones included)
    std::uint64_t failed = 0;  ///< of which failed for good
    std::uint64_t total = 0;   ///< tasks the call runs (tasks skipped from a journal excluded)
    double elapsed_seconds = 0;
    double tasks_per_second = 0;  ///< done / elapsed so far (0 before the first task)
    double eta_seconds = -1;      ///< remaining / rate; negative while unknown (nothing done yet)
    bool finished = false;        ///< the last call for this farm call (also after an error)
};

using ProgressCallback = std::function<void(Progress const&)>;

/// A progress bar on stderr with counts, rate and ETA. On a terminal it is one line redrawn in
/// place (at most 10 times a second); otherwise (a log file, a batch job's output) it writes a
/// line every `line_interval_seconds` and a last one at the end. Each returned callback has
/// its own state: use one per farm call.
[[nodiscard]] ProgressCallback stderr_progress(double line_interval_seconds = 10);

/// "[#######-------------]  35.0%  350/1000 tasks  2 failed  117 tasks/s  ETA 0:00:05"
/// (`bar_width` 0: no bar; "failed" only when some did; ETA "?" while unknown).
[[nodiscard]] std::string format_progress(Progress const& progress, int bar_width = 20);

}  // namespace taskfarm
