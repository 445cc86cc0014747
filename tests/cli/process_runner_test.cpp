#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "run/process_runner.hpp"
#include "test_support.hpp"

namespace taskfarm::cli {
namespace {

TEST(ProcessRunner, CapturesStdoutAndStderrSeparatelyAndTheExitCode) {
    auto const r = run_process("echo out; echo err >&2; exit 3", {});
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "err\n");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.signal, 0);
    EXPECT_FALSE(r.timed_out);
    EXPECT_GT(r.start_time, 1.6e9);
}

TEST(ProcessRunner, MissingCommandExits127WithTheShellsMessage) {
    auto const r = run_process("no-such-command-taskfarm-test", {});
    EXPECT_EQ(r.exit_code, 127);
    EXPECT_NE(r.err.find("no-such-command-taskfarm-test"), std::string::npos) << r.err;
}

TEST(ProcessRunner, ACrashIsRecordedWithItsSignal) {
    // The shell reports a child killed by SIGSEGV as status 139; a shell killed itself is signalled.
    auto const child = run_process("sh -c 'kill -SEGV $$'", {});
    EXPECT_EQ(child.exit_code, 128 + SIGSEGV);
    EXPECT_EQ(child.signal, SIGSEGV);
    auto const self = run_process("kill -SEGV $$", {});
    EXPECT_EQ(self.signal, SIGSEGV);
}

TEST(ProcessRunner, StdinIsEmpty) {
    auto const r = run_process("wc -c", {});
    EXPECT_EQ(r.out.find_first_not_of(" "), r.out.find('0'));
    EXPECT_EQ(r.exit_code, 0);
}

TEST(ProcessRunner, MegabytesWithoutNewlineOnBothStreamsComeBackWhole) {
    // 3 MiB on stdout and 2 MiB on stderr at once: a runner that read one pipe to its end first
    // would deadlock on the other.
    auto const r = run_process(
        "head -c 2097152 /dev/zero | tr '\\0' e >&2 & head -c 3145728 /dev/zero | tr '\\0' o; wait", {});
    EXPECT_EQ(r.exit_code, 0);
    ASSERT_EQ(r.out.size(), 3145728u);
    ASSERT_EQ(r.err.size(), 2097152u);
    EXPECT_EQ(r.out.find_first_not_of('o'), std::string::npos);
    EXPECT_EQ(r.err.find_first_not_of('e'), std::string::npos);
}

TEST(ProcessRunner, MaxOutputKeepsHeadAndTailOfEachStreamAndSaysSoInStderr) {
    // 1 MiB of numbered lines on stdout, 3000 bytes on stderr; 1000 bytes kept of each. The
    // reference is the same command captured without a cap.
    std::string const command = "seq 1 200000 | head -c 1048576; printf 'e%.0s' $(seq 3000) >&2";
    auto const whole = run_process(command, {});
    ASSERT_EQ(whole.out.size(), 1048576u);
    ProcessLimits limits;
    limits.max_output = 1000;
    auto const r = run_process(command, limits);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, whole.out.substr(0, 500) + whole.out.substr(whole.out.size() - 500));
    EXPECT_EQ(r.err,
              std::string(1000, 'e') + "\n" +
                  "taskfarm: stdout truncated by --max-output: 1048576 bytes, kept the first 500 and the last 500\n"
                  "taskfarm: stderr truncated by --max-output: 3000 bytes, kept the first 500 and the last 500\n");
}

TEST(ProcessRunner, TimeoutKillsTheWholeProcessGroup) {
    testing::TempDir dir;
    auto const marker = dir.file("survivor");
    ProcessLimits limits;
    limits.timeout = 0.5;
    limits.kill_grace = 0.5;
    // A grandchild in the background that would write the marker if it outlived the kill.
    auto const r = run_process("(sleep 2; touch " + marker + ") & sleep 30", limits);
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.exit_code, -1);
    EXPECT_EQ(r.signal, SIGTERM);
    EXPECT_GE(r.runtime, 0.5);
    EXPECT_LT(r.runtime, 5.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    EXPECT_FALSE(std::filesystem::exists(marker)) << "the background process survived the timeout";
}

TEST(ProcessRunner, ACommandIgnoringSigtermGetsSigkill) {
    ProcessLimits limits;
    limits.timeout = 0.3;
    limits.kill_grace = 0.3;
    auto const r = run_process("trap '' TERM; sleep 30", limits);
    EXPECT_TRUE(r.timed_out);
    EXPECT_LT(r.runtime, 5.0);
}

TEST(ProcessRunner, CancelKillsTheCommandAndMarksItInterrupted) {
    std::atomic<bool> cancel{false};
    ProcessLimits limits;
    limits.kill_grace = 0.5;
    limits.cancelled = [&] { return cancel.load(); };
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    auto const r = run_process("echo started; sleep 30", limits);
    canceller.join();
    EXPECT_TRUE(r.interrupted);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.out, "started\n");
    EXPECT_LT(r.runtime, 5.0);
}

TEST(ProcessRunner, CommandsStartWithSigusr1IgnoredSoTheWalltimeWarningDoesNotKillThem) {
    // srun gives the walltime warning (SIGUSR1) to every process of the step, the commands too;
    // a command and its children must outlive it. Its default action would end them (status 138).
    auto const r = run_process("kill -USR1 $$; sh -c 'kill -USR1 $$; echo child alive'; echo alive", {});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.signal, 0);
    EXPECT_EQ(r.out, "child alive\nalive\n");
}

TEST(ProcessRunner, OtherSignalsKeepTheirDefaultAction) {
    auto const r = run_process("sh -c 'kill -USR2 $$; echo survived'", {});
    EXPECT_EQ(r.signal, SIGUSR2);
    EXPECT_EQ(r.out, "");
}

TEST(ProcessRunner, ExtraEnvironmentReplacesInheritedValues) {
    ::setenv("TASKFARM_TEST_VALUE", "inherited", 1);
    ProcessLimits limits;
    limits.environment = {"TASKFARM_TEST_VALUE=replaced", "TASKFARM_TASK=7"};
    auto const r = run_process("echo $TASKFARM_TEST_VALUE $TASKFARM_TASK; env | grep -c '^TASKFARM_TEST_VALUE='",
                               limits);
    EXPECT_EQ(r.out, "replaced 7\n1\n");
}

TEST(ProcessRunner, ConcurrentRunsDoNotHoldEachOthersPipes) {
    // If a short task's child inherited a long task's pipe, the short one would wait for the long one.
    std::thread long_task([] { (void)run_process("sleep 2", {}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::vector<double> runtimes(4);
    std::vector<std::thread> short_tasks;
    for (auto& runtime : runtimes)
        short_tasks.emplace_back([&runtime] { runtime = run_process("echo x", {}).runtime; });
    for (auto& t : short_tasks) t.join();
    long_task.join();
    for (double runtime : runtimes) EXPECT_LT(runtime, 1.5);
}

TEST(ShellStatus, OnlyStatusesAbove128AreSignals) {
    EXPECT_EQ(signal_of_shell_status(0), 0);
    EXPECT_EQ(signal_of_shell_status(127), 0);
    EXPECT_EQ(signal_of_shell_status(128), 0);
    EXPECT_EQ(signal_of_shell_status(139), 11);
    EXPECT_EQ(signal_of_shell_status(255), 0);
}

}  // namespace
}  // namespace taskfarm::cli
