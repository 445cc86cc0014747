#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/string.hpp>
#include <sstream>

#include "results/result_sink.hpp"
#include "run/halt_policy.hpp"
#include "run_options.hpp"
#include "test_support.hpp"

namespace taskfarm::cli {
namespace {

TaskSpec spec(std::uint64_t number, std::string command = "run it") {
    TaskSpec s;
    s.number = number;
    s.command = std::move(command);
    s.file = "tasks.txt";
    s.line = number + 1;
    return s;
}

TaskOutcome finished(std::uint64_t number, int exit_code, int signal = 0) {
    TaskOutcome o;
    o.number = number;
    o.state = TaskState::finished;
    o.exit_code = exit_code;
    o.signal = signal;
    o.host = "node2";
    o.rank = 1;
    o.attempts = 1;
    o.start_time = 1700000000.5;
    o.runtime = 0.25;
    o.out = "out\n";
    return o;
}

TEST(DescribeFailure, NamesFileLineTaskHostAndReason) {
    EXPECT_EQ(describe_failure(spec(6), finished(6, 127)),
              "tasks.txt:7: task 6 failed on node2 (rank 1): exit 127 (command not found)");
    EXPECT_EQ(describe_failure(spec(2), finished(2, 139, SIGSEGV)),
              "tasks.txt:3: task 2 failed on node2 (rank 1): exit 139 (killed by SIGSEGV)");
    auto timed_out = finished(3, -1, SIGTERM);
    timed_out.state = TaskState::timed_out;
    timed_out.runtime = 10.04;
    timed_out.attempts = 2;
    EXPECT_EQ(describe_failure(spec(3), timed_out),
              "tasks.txt:4: task 3 timed out on node2 (rank 1) after 10.0 s (process group killed with SIGTERM) "
              "after 2 attempts");
    EXPECT_EQ(describe_failure(spec(1), finished(1, 0)), "");
}

TEST(JoblogEntryOf, CopiesWhatGnuParallelLogs) {
    auto const e = joblog_entry(spec(4, "echo x"), finished(4, 3));
    EXPECT_EQ(e.seq, 4u);
    EXPECT_EQ(e.host, "node2");
    EXPECT_DOUBLE_EQ(e.start_time, 1700000000.5);
    EXPECT_DOUBLE_EQ(e.runtime, 0.25);
    EXPECT_EQ(e.exit_value, 3);
    EXPECT_EQ(e.command, "echo x");
}

TEST(TaskOutcome, SurvivesTheFarmsBinaryArchive) {
    auto original = finished(9, 2, 0);
    original.state = TaskState::timed_out;
    original.err = std::string(100000, 'e');
    std::stringstream buffer;
    {
        boost::archive::binary_oarchive out(buffer);
        out << original;
    }
    TaskOutcome copy;
    boost::archive::binary_iarchive in(buffer);
    in >> copy;
    EXPECT_EQ(copy.number, 9u);
    EXPECT_EQ(copy.state, TaskState::timed_out);
    EXPECT_EQ(copy.exit_code, 2);
    EXPECT_EQ(copy.host, "node2");
    EXPECT_EQ(copy.err, original.err);
    EXPECT_DOUBLE_EQ(copy.start_time, original.start_time);
}

/// A sink writing to files in a scratch directory.
struct SinkFixture {
    testing::TempDir dir;
    int out = ::open(dir.file("stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(dir.file("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    Console console{out, err, false};
    OutputWriter output{console, "", false};
    JoblogWriter joblog{dir.file("joblog"), false};
    StopState stop;
    ~SinkFixture() {
        ::close(out);
        ::close(err);
    }
};

TEST(ResultSink, LogsRunTasksAndLeavesOutTheOnesThatDidNotRun) {
    SinkFixture f;
    ResultSink sink(f.console, f.output, &f.joblog, nullptr, f.stop, nullptr);
    sink.accept(spec(1), finished(1, 0));
    TaskOutcome not_run;
    not_run.number = 2;
    sink.accept(spec(2), not_run);
    auto cut_short = finished(3, -1, SIGTERM);
    cut_short.state = TaskState::interrupted;
    sink.accept(spec(3), cut_short);
    auto const history = read_joblog(f.dir.file("joblog"));
    EXPECT_EQ(history.last.size(), 1u);
    EXPECT_EQ(history.last.count(1), 1u);
    EXPECT_EQ(testing::read_text(f.dir.file("stdout")), "out\n");
    EXPECT_EQ(sink.summary().not_run(), 2u);
}

TEST(ResultSink, ATaskThatCouldNotBeMadeIsLoggedAsFailedWithItsReason) {
    SinkFixture f;
    ResultSink sink(f.console, f.output, &f.joblog, nullptr, f.stop, nullptr);
    auto bad = spec(5, "");
    bad.error = "template field {2} is missing: the row has 1 field";
    TaskOutcome not_run;
    not_run.number = 5;
    sink.accept(bad, not_run);
    auto const history = read_joblog(f.dir.file("joblog"));
    ASSERT_EQ(history.last.count(5), 1u);
    EXPECT_EQ(history.last.at(5).exit_value, 255);
    EXPECT_EQ(history.last.at(5).command, "# template field {2} is missing: the row has 1 field");
    EXPECT_EQ(testing::read_text(f.dir.file("stderr")),
              "taskfarm: tasks.txt:6: task 5: template field {2} is missing: the row has 1 field\n");
    EXPECT_EQ(sink.summary().failed(), (std::vector<std::uint64_t>{5}));
}

TEST(ResultSink, HaltOnErrorStopsTheRunAtTheFirstFailure) {
    SinkFixture f;
    HaltTracker halt(parse_halt("soon,fail=1"), 10);
    ResultSink sink(f.console, f.output, &f.joblog, nullptr, f.stop, &halt);
    sink.accept(spec(1), finished(1, 0));
    EXPECT_FALSE(f.stop.stopping());
    sink.accept(spec(2), finished(2, 1));
    EXPECT_TRUE(f.stop.halted());
    EXPECT_FALSE(f.stop.interrupted());
    EXPECT_FALSE(f.stop.kill_running(1e9));  // soon: running tasks finish
    EXPECT_EQ(halt.exit_status(), 1);        // fail=1: the failed task's own status
}

TEST(HaltPolicy, ParsesGnuParallelsFormsAndRefusesOthers) {
    EXPECT_EQ(parse_halt("now,fail=1").text(), "now,fail=1");
    EXPECT_EQ(parse_halt("2").text(), "now,fail=1");
    EXPECT_EQ(parse_halt("1").text(), "soon,fail=1");
    EXPECT_EQ(parse_halt("-1").text(), "soon,success=1");
    EXPECT_EQ(parse_halt("10%").text(), "soon,fail=10%");
    EXPECT_EQ(parse_halt("soon,done=3").text(), "soon,done=3");
    EXPECT_EQ(parse_halt("never").when, HaltPolicy::When::never);
    for (char const* bad : {"later,fail=1", "now,fail=0", "now,fail=-1", "now,oops=1", "now,fail=101%", "now", ""})
        EXPECT_THROW((void)parse_halt(bad), UsageError) << bad;
}

TEST(HaltTracker, GivesGnuParallelsExitStatus) {
    HaltTracker by_count(parse_halt("soon,fail=2"), 10);
    EXPECT_FALSE(by_count.note(finished(1, 3)));
    EXPECT_FALSE(by_count.note(finished(1, 3)));  // the same task twice counts once
    EXPECT_TRUE(by_count.note(finished(2, 4)));
    EXPECT_EQ(by_count.exit_status(), 2);  // min(failed, 101)
    HaltTracker by_share(parse_halt("soon,fail=50%"), 4);
    EXPECT_FALSE(by_share.note(finished(1, 3)));
    EXPECT_FALSE(by_share.note(finished(2, 0)));
    EXPECT_TRUE(by_share.note(finished(3, 2)));
    EXPECT_EQ(by_share.exit_status(), 50);  // ceil(100 * failed / total)
    HaltTracker on_success(parse_halt("now,success=1"), 4);
    EXPECT_FALSE(on_success.note(finished(1, 3)));
    EXPECT_TRUE(on_success.note(finished(2, 0)));
    EXPECT_EQ(on_success.exit_status(), 0);
}

TEST(ResultSink, WithoutHaltOnErrorAFailureDoesNotStop) {
    SinkFixture f;
    ResultSink sink(f.console, f.output, nullptr, nullptr, f.stop, nullptr);
    sink.accept(spec(2), finished(2, 1));
    EXPECT_FALSE(f.stop.stopping());
}

}  // namespace
}  // namespace taskfarm::cli
