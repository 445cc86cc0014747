// The command guardian (run/command_guardian.hpp): a process that dies with a command running
// leaves the command to the guardian, which lets it run (--grace), then sends SIGTERM, then
// SIGKILL; a guardian with nothing to guard ends with its owner. The "rank" here is a forked
// child that starts a command and _exits; no verdict waits on a clock except for failure.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "run/command_guardian.hpp"
#include "run/process_runner.hpp"
#include "test_support.hpp"

namespace taskfarm::cli {
namespace {

using testing::TempDir;

/// Waits up to `seconds` for `done()`.
template <class Done>
bool eventually(Done done, double seconds = 30) {
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

/// Whether `pid` runs. Orphans come to this process (a subreaper, see below), so ended ones are
/// reaped here first: a zombie is not running.
bool exists(pid_t pid) {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    return ::kill(pid, 0) == 0 || errno != ESRCH;
}

int read_pid(std::string const& path) { return std::stoi(testing::read_text(path)); }

/// A command that writes its pid to `command.pid` in `dir`, runs `first`, then loops until killed,
/// appending "term" to `termed` at each SIGTERM (which it thus survives).
std::string sigterm_logging_command(TempDir const& dir, std::string const& first = "") {
    return "echo $$ > " + dir.file("command.pid") + "; trap 'echo term >> " + dir.file("termed") + "' TERM; " + first +
           "while :; do sleep 0.05; done";
}

/// In the "rank": waits until the command has written its pid, and returns it.
pid_t wait_for_command(TempDir const& dir) {
    std::string const path = dir.file("command.pid");
    while (!std::filesystem::exists(path) || testing::read_text(path).empty())
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return read_pid(path);
}

TEST(CommandGuardian, EndsWithItsOwnerWhenNothingRuns) {
    pid_t guardian = 0;
    {
        CommandGuardian g(30, 1);
        guardian = g.pid();
        EXPECT_TRUE(exists(guardian));
    }
    EXPECT_FALSE(exists(guardian));  // ended and reaped by the destructor
}

TEST(CommandGuardian, KeepsTheGraceRuleForTheCommandsOfADeadProcess) {
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);  // the dead "rank"'s orphans become ours
    TempDir dir;
    std::string const command = sigterm_logging_command(dir, "echo starts; ");
    pid_t const rank = ::fork();
    ASSERT_GE(rank, 0);
    if (rank == 0) {  // the "rank": a guardian with a 30 s grace, one command, then a sudden death
        CommandGuardian guardian(30, 1);
        testing::write_text(dir.file("guardian.pid"), std::to_string(guardian.pid()));
        ProcessLimits limits;
        limits.guardian = &guardian;
        std::thread([&] { (void)run_process(command, limits); }).detach();
        (void)wait_for_command(dir);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(rank, &status, 0), rank);
    ASSERT_TRUE(eventually([&] { return !testing::read_text(dir.file("command.pid")).empty(); }));
    pid_t const command_pid = read_pid(dir.file("command.pid"));
    pid_t const guardian_pid = read_pid(dir.file("guardian.pid"));

    // Its owner is gone: the command runs on (its output is drained, so "starts" did not kill it
    // with SIGPIPE), inside a 30 s grace.
    EXPECT_TRUE(exists(command_pid));
    EXPECT_FALSE(std::filesystem::exists(dir.file("termed")));

    // SIGTERM to the guardian ends the grace: the command gets SIGTERM, ignores it (the trap),
    // and gets SIGKILL a second later.
    ASSERT_EQ(::kill(guardian_pid, SIGTERM), 0);
    EXPECT_TRUE(eventually([&] { return std::filesystem::exists(dir.file("termed")); }));
    EXPECT_TRUE(eventually([&] { return !exists(command_pid); }));
    EXPECT_TRUE(eventually([&] { return !exists(guardian_pid); }));
}

// The rank stops its command (a stop with --grace spent: the guardian sends the SIGTERM for it)
// and dies before the command ends: the guardian must not send a second SIGTERM when the rank is
// gone (the command would see two), only the SIGKILL one kill_grace after the first. Its own grace
// is an hour, so a guardian that waited for it fails the test instead of passing late.
TEST(CommandGuardian, SendsNoSecondSigtermToACommandItsRankAlreadyTerminated) {
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    TempDir dir;
    std::string const command = sigterm_logging_command(dir);
    pid_t const rank = ::fork();
    ASSERT_GE(rank, 0);
    if (rank == 0) {
        CommandGuardian guardian(3600, 1);
        testing::write_text(dir.file("guardian.pid"), std::to_string(guardian.pid()));
        std::atomic<bool> stop{false};
        ProcessLimits limits;
        limits.guardian = &guardian;
        limits.kill_grace = 3600;  // the rank dies long before its own SIGKILL
        limits.cancelled = [&] { return stop.load(); };
        std::thread([&] { (void)run_process(command, limits); }).detach();
        (void)wait_for_command(dir);
        stop = true;
        while (!std::filesystem::exists(dir.file("termed"))) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(rank, &status, 0), rank);
    pid_t const command_pid = read_pid(dir.file("command.pid"));
    pid_t const guardian_pid = read_pid(dir.file("guardian.pid"));
    EXPECT_TRUE(eventually([&] { return !exists(command_pid); }));
    EXPECT_TRUE(eventually([&] { return !exists(guardian_pid); }));
    EXPECT_EQ(testing::read_text(dir.file("termed")), "term\n");
}

// The rank asks the guardian for its command's SIGTERM (a stop) and dies the moment the request
// is sent, the point at which a rank that sent the SIGTERM itself could not yet have told the
// guardian (and the command got a second SIGTERM from it, as CI once saw): the command gets
// exactly one SIGTERM, then the SIGKILL a kill_grace later, not after the hour-long grace.
TEST(CommandGuardian, SendsTheOneSigtermItsRankAskedForWhenTheRankDiesAtOnce) {
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    TempDir dir;
    std::string const command = sigterm_logging_command(dir);
    pid_t const rank = ::fork();
    ASSERT_GE(rank, 0);
    if (rank == 0) {
        CommandGuardian guardian(3600, 1);
        testing::write_text(dir.file("guardian.pid"), std::to_string(guardian.pid()));
        ProcessLimits limits;
        limits.guardian = &guardian;
        std::thread([&] { (void)run_process(command, limits); }).detach();
        // The command is its own process group (run_process), led by the shell.
        bool const asked = guardian.terminate(wait_for_command(dir));
        ::_exit(asked ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(rank, &status, 0), rank);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0) << "the guardian could not be told";
    pid_t const command_pid = read_pid(dir.file("command.pid"));
    pid_t const guardian_pid = read_pid(dir.file("guardian.pid"));
    EXPECT_TRUE(eventually([&] { return !exists(command_pid); }));
    EXPECT_TRUE(eventually([&] { return !exists(guardian_pid); }));
    EXPECT_EQ(testing::read_text(dir.file("termed")), "term\n");
}

}  // namespace
}  // namespace taskfarm::cli
