#include <gtest/gtest.h>

#include "results/progress.hpp"
#include "results/run_summary.hpp"

namespace taskfarm::cli {
namespace {

TaskOutcome outcome(std::uint64_t number, TaskState state, int exit_code = 0, double runtime = 1.0) {
    TaskOutcome o;
    o.number = number;
    o.state = state;
    o.exit_code = exit_code;
    o.runtime = runtime;
    return o;
}

TEST(RunSummary, CountsEachKindOfEnding) {
    RunSummary s;
    s.add(outcome(1, TaskState::finished));
    s.add(outcome(17, TaskState::finished, 2));
    s.add(outcome(4, TaskState::timed_out, -1));
    s.add(outcome(5, TaskState::not_run, 0, 0));
    s.add(outcome(6, TaskState::interrupted, -1, 1.0));
    s.add(outcome(9, TaskState::invalid, 255, 0));
    EXPECT_EQ(s.succeeded(), 1u);
    EXPECT_EQ(s.failed(), (std::vector<std::uint64_t>{4, 9, 17}));
    EXPECT_EQ(s.timed_out(), (std::vector<std::uint64_t>{4}));
    EXPECT_EQ(s.not_run(), 2u);
    EXPECT_DOUBLE_EQ(s.busy_seconds(), 4.0);
    EXPECT_EQ(s.format(4.0, 2),
              "taskfarm: 1 succeeded, 3 failed (tasks 4, 9, 17), 1 timed out (task 4), 2 not run\n"
              "taskfarm: wall time 4.0 s, 2 slots, slot utilization 50%\n");
    EXPECT_NE(s.format(3723, 2).find("wall time 1:02:03"), std::string::npos);
}

TEST(RunSummary, ExitStatusFollowsGnuParallel) {
    RunSummary ok;
    ok.add(outcome(1, TaskState::finished));
    EXPECT_EQ(ok.exit_status(false), 0);

    RunSummary some;
    for (std::uint64_t i = 1; i <= 3; ++i) some.add(outcome(i, TaskState::finished, 1));
    EXPECT_EQ(some.exit_status(false), 3);

    RunSummary many;
    for (std::uint64_t i = 1; i <= 150; ++i) many.add(outcome(i, TaskState::finished, 1));
    EXPECT_EQ(many.exit_status(false), 101);
}

TEST(RunSummary, InterruptedWithTasksLeftIsResumable) {
    RunSummary s;
    s.add(outcome(1, TaskState::finished, 1));
    s.add(outcome(2, TaskState::not_run));
    EXPECT_EQ(s.exit_status(true), exit_interrupted);
    RunSummary all_ran;
    all_ran.add(outcome(1, TaskState::finished));
    EXPECT_EQ(all_ran.exit_status(true), 0);  // the signal came after the last task
}

TEST(RunSummary, LongListsAreCut) {
    std::vector<std::uint64_t> numbers;
    for (std::uint64_t i = 1; i <= 25; ++i) numbers.push_back(i);
    EXPECT_EQ(format_task_numbers(numbers, 3), "1, 2, 3, ... (22 more)");
}

// The progress line itself is the library's taskfarm::format_progress (tested with it).
TEST(Progress, DurationsAsHoursMinutesSeconds) {
    EXPECT_EQ(format_duration(3723), "1:02:03");
    EXPECT_EQ(format_duration(59.6), "0:01:00");
    EXPECT_EQ(format_duration(-1), "0:00:00");
}

}  // namespace
}  // namespace taskfarm::cli
