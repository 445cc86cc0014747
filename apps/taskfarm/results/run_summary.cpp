#include "results/run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "results/progress.hpp"

namespace taskfarm::cli {

void RunSummary::add(TaskOutcome const& outcome) {
    busy_ += outcome.runtime;
    switch (outcome.state) {
        case TaskState::not_run:
        case TaskState::interrupted:
            ++not_run_;
            return;
        case TaskState::timed_out:
            timed_out_.push_back(outcome.number);
            failed_.push_back(outcome.number);
            return;
        case TaskState::finished:
        case TaskState::spawn_failed:
        case TaskState::invalid:
            if (outcome.succeeded()) ++succeeded_;
            else failed_.push_back(outcome.number);
            return;
    }
}

std::vector<std::uint64_t> RunSummary::failed() const {
    auto sorted = failed_;
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

std::vector<std::uint64_t> RunSummary::timed_out() const {
    auto sorted = timed_out_;
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

int RunSummary::exit_status(bool interrupted) const {
    if (interrupted && not_run_ > 0) return exit_interrupted;
    return static_cast<int>(std::min<std::size_t>(failed_.size(), exit_max_failed));
}

std::string format_task_numbers(std::vector<std::uint64_t> const& numbers, std::size_t limit) {
    std::string text;
    for (std::size_t i = 0; i < numbers.size() && i < limit; ++i) text += (i ? ", " : "") + std::to_string(numbers[i]);
    if (numbers.size() > limit) text += ", ... (" + std::to_string(numbers.size() - limit) + " more)";
    return text;
}

namespace {

std::string counted_list(std::size_t count, char const* what, std::vector<std::uint64_t> const& numbers) {
    std::string text = std::to_string(count) + " " + what;
    if (!numbers.empty())
        text += std::string(numbers.size() == 1 ? " (task " : " (tasks ") + format_task_numbers(numbers) + ")";
    return text;
}

}  // namespace

std::string RunSummary::format(double wall_seconds, int slots) const {
    std::string text = "taskfarm: " + std::to_string(succeeded_) + " succeeded, " +
                       counted_list(failed_.size(), "failed", failed()) + ", " +
                       counted_list(timed_out_.size(), "timed out", timed_out()) + ", " + std::to_string(not_run_) +
                       " not run";
    if (already_done_ > 0) text += ", " + std::to_string(already_done_) + " already done (joblog)";
    double const capacity = wall_seconds * std::max(slots, 1);
    long const utilization = capacity > 0 ? std::lround(100.0 * std::min(1.0, busy_ / capacity)) : 0;
    char wall[32];
    std::snprintf(wall, sizeof wall, "%.1f s", wall_seconds);
    text += "\ntaskfarm: wall time " + (wall_seconds < 60 ? std::string(wall) : format_duration(wall_seconds)) + ", " +
            std::to_string(slots) + (slots == 1 ? " slot" : " slots") + ", slot utilization " +
            std::to_string(utilization) + "%\n";
    return text;
}

}  // namespace taskfarm::cli
