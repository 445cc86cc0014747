/// @file
/// @brief The end of a run: what happened to every task, the summary printed on stderr, and the
/// exit status (GNU parallel's convention, plus one for an interrupted run).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tasks/task_record.hpp"

namespace taskfarm::cli {

/// Exit statuses of `taskfarm run`.
inline constexpr int exit_all_succeeded = 0;
/// 1..100: that many tasks failed; 101: more than 100 failed.
inline constexpr int exit_max_failed = 101;
/// Stopped by a signal (SIGTERM, SIGINT, SIGUSR1) before every task ran: run again with --resume.
inline constexpr int exit_interrupted = 102;
/// The run could not start: bad options or input (nothing ran).
inline constexpr int exit_usage = 255;

class RunSummary {
public:
    /// Counts one task's outcome.
    void add(TaskOutcome const& outcome);
    /// Tasks that a resumed run found done in the joblog.
    void add_already_done(std::size_t count) noexcept { already_done_ += count; }

    [[nodiscard]] std::size_t succeeded() const noexcept { return succeeded_; }
    /// Failed tasks' numbers, sorted (timeouts and tasks that could not be made included).
    [[nodiscard]] std::vector<std::uint64_t> failed() const;
    [[nodiscard]] std::vector<std::uint64_t> timed_out() const;
    [[nodiscard]] std::size_t not_run() const noexcept { return not_run_; }
    [[nodiscard]] double busy_seconds() const noexcept { return busy_; }

    /// The exit status: interrupted (when `interrupted` and some task did not run), else the
    /// number of failed tasks, at most 101.
    [[nodiscard]] int exit_status(bool interrupted) const;

    /// The summary lines, e.g.
    /// "taskfarm: 98 succeeded, 2 failed (tasks 4, 17), 1 timed out (task 17), 0 not run\n"
    /// "taskfarm: wall time 12.3 s, 8 slots, slot utilization 87%\n"
    [[nodiscard]] std::string format(double wall_seconds, int slots) const;

private:
    std::size_t succeeded_ = 0;
    std::vector<std::uint64_t> failed_;
    std::vector<std::uint64_t> timed_out_;
    std::size_t not_run_ = 0;
    std::size_t already_done_ = 0;
    double busy_ = 0;
};

/// "4, 17, 20" — at most `limit` numbers, then ", ... (N more)".
[[nodiscard]] std::string format_task_numbers(std::vector<std::uint64_t> const& numbers, std::size_t limit = 20);

}  // namespace taskfarm::cli
