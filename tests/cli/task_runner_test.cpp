#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <thread>

#include "run/task_runner.hpp"
#include "test_support.hpp"

namespace taskfarm::cli {
namespace {

TaskRecord record(std::string command, std::uint64_t number = 5) {
    TaskRecord r;
    r.number = number;
    r.command = std::move(command);
    return r;
}

std::size_t count_lines(std::string const& path) {
    auto const text = testing::read_text(path);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(TaskRunner, RunsTheCommandAndRecordsWhereAndWhat) {
    TaskPolicy policy;
    policy.host = "nodeA";
    policy.rank = 3;
    StopState stop;
    auto const o = run_task(record("echo $TASKFARM_TASK $PARALLEL_SEQ $TASKFARM_RANK $TASKFARM_ATTEMPT"), policy, stop);
    EXPECT_EQ(o.state, TaskState::finished);
    EXPECT_TRUE(o.succeeded());
    EXPECT_TRUE(o.loggable());
    EXPECT_EQ(o.number, 5u);
    EXPECT_EQ(o.out, "5 5 3 1\n");
    EXPECT_EQ(o.host, "nodeA");
    EXPECT_EQ(o.rank, 3);
    EXPECT_EQ(o.attempts, 1u);
}

TEST(TaskRunner, RetriesAFailingCommandUntilItSucceeds) {
    testing::TempDir dir;
    auto const marker = dir.file("runs");
    TaskPolicy policy;
    policy.retries = 5;
    StopState stop;
    // Fails on attempts 1 and 2, succeeds on 3.
    auto const o = run_task(record("echo run >> " + marker + "; test $TASKFARM_ATTEMPT -ge 3"), policy, stop);
    EXPECT_TRUE(o.succeeded());
    EXPECT_EQ(o.attempts, 3u);
    EXPECT_EQ(count_lines(marker), 3u);
}

TEST(TaskRunner, GivesUpAfterTheRetriesAndKeepsTheLastFailure) {
    testing::TempDir dir;
    auto const marker = dir.file("runs");
    TaskPolicy policy;
    policy.retries = 2;
    StopState stop;
    auto const o = run_task(record("echo run >> " + marker + "; echo attempt $TASKFARM_ATTEMPT; exit 4"), policy, stop);
    EXPECT_FALSE(o.succeeded());
    EXPECT_EQ(o.exit_code, 4);
    EXPECT_EQ(o.attempts, 3u);
    EXPECT_EQ(o.out, "attempt 3\n");
    EXPECT_EQ(count_lines(marker), 3u);
}

TEST(TaskRunner, ATimeoutIsAFailureThatIsRetried) {
    TaskPolicy policy;
    policy.timeout = 0.2;
    policy.kill_grace = 0.2;
    policy.retries = 1;
    StopState stop;
    auto const o = run_task(record("sleep 10"), policy, stop);
    EXPECT_EQ(o.state, TaskState::timed_out);
    EXPECT_EQ(o.attempts, 2u);
    EXPECT_TRUE(o.loggable());
    EXPECT_FALSE(o.succeeded());
}

TEST(TaskRunner, SkippedOrStoppedTasksDoNotRun) {
    testing::TempDir dir;
    auto const marker = dir.file("runs");
    TaskPolicy policy;
    StopState stop;
    auto skipped = record("touch " + marker);
    skipped.skip = true;
    EXPECT_EQ(run_task(skipped, policy, stop).state, TaskState::not_run);
    stop.halt();
    auto const o = run_task(record("touch " + marker), policy, stop);
    EXPECT_EQ(o.state, TaskState::not_run);
    EXPECT_FALSE(o.loggable());
    EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(TaskRunner, AStopSignalKillsRunningCommandsAfterTheGraceAndThatIsNotLogged) {
    TaskPolicy policy;
    policy.stop_grace = 0.3;
    policy.kill_grace = 0.2;
    policy.retries = 3;
    StopState stop;
    std::thread signaller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stop.signal_received(SIGUSR1);
    });
    auto const o = run_task(record("sleep 20"), policy, stop);
    signaller.join();
    EXPECT_EQ(o.state, TaskState::interrupted);
    EXPECT_EQ(o.attempts, 1u);
    EXPECT_FALSE(o.loggable());
    EXPECT_LT(o.runtime, 5.0);
    EXPECT_TRUE(stop.interrupted());
    EXPECT_EQ(stop.last_signal(), SIGUSR1);
}

/// A command that kills itself with `signal` after `delay` seconds (what srun's delivery of a
/// stop signal to every process of the step looks like to the runner).
TaskRecord dies_of(char const* signal, char const* delay) {
    return record(std::string("sleep ") + delay + "; kill -" + signal + " $$");
}

/// Runs `task` while another thread delivers `signal` to `stop` after `after_ms`.
TaskOutcome run_with_stop_signal(TaskRecord const& task, TaskPolicy const& policy, StopState& stop, int signal,
                                 int after_ms) {
    std::thread signaller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(after_ms));
        stop.signal_received(signal);
    });
    auto outcome = run_task(task, policy, stop);
    signaller.join();
    return outcome;
}

TEST(TaskRunner, ACommandKilledByTheStopSignalIsInterruptedAndNotLogged) {
    TaskPolicy policy;
    policy.retries = 2;
    StopState stop;
    // The rank hears of the stop at 0.1 s; the same signal ends the command at 0.6 s.
    auto const o = run_with_stop_signal(dies_of("TERM", "0.6"), policy, stop, SIGTERM, 100);
    EXPECT_EQ(o.state, TaskState::interrupted);
    EXPECT_EQ(o.signal, SIGTERM);
    EXPECT_EQ(o.attempts, 1u);
    EXPECT_FALSE(o.loggable());
}

TEST(TaskRunner, TheRanksStopSignalMayArriveJustAfterTheCommandDied) {
    TaskPolicy policy;
    policy.stop_signal_wait = 30;  // ends as soon as the signal is seen
    StopState stop;
    auto const o = run_with_stop_signal(dies_of("KILL", "0"), policy, stop, SIGTERM, 300);
    EXPECT_EQ(o.state, TaskState::interrupted);
    EXPECT_EQ(o.signal, SIGKILL);
}

TEST(TaskRunner, ACommandKilledBySigtermWithoutAStopFails) {
    TaskPolicy policy;
    policy.stop_signal_wait = 0.05;
    StopState stop;
    auto const o = run_task(dies_of("TERM", "0"), policy, stop);
    EXPECT_EQ(o.state, TaskState::finished);
    EXPECT_EQ(o.signal, SIGTERM);
    EXPECT_FALSE(o.succeeded());
    EXPECT_TRUE(o.loggable());
}

TEST(TaskRunner, ACrashDuringAStopIsStillAFailure) {
    TaskPolicy policy;
    StopState stop;
    auto const o = run_with_stop_signal(dies_of("SEGV", "0.6"), policy, stop, SIGUSR1, 100);
    EXPECT_EQ(o.state, TaskState::finished);
    EXPECT_EQ(o.signal, SIGSEGV);
    EXPECT_TRUE(o.loggable());
}

TEST(StopState, SecondSignalKillsAtOnce) {
    StopState stop;
    EXPECT_FALSE(stop.stopping());
    EXPECT_FALSE(stop.kill_running(0));
    stop.signal_received(SIGTERM);
    EXPECT_TRUE(stop.stopping());
    EXPECT_FALSE(stop.kill_running(100));
    EXPECT_TRUE(stop.kill_running(0));
    stop.signal_received(SIGTERM);
    EXPECT_TRUE(stop.kill_running(100));
}

}  // namespace
}  // namespace taskfarm::cli
