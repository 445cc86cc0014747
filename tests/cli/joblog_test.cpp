#include <gtest/gtest.h>

#include <sys/stat.h>

#include <system_error>

#include "input_error.hpp"
#include "results/joblog.hpp"
#include "test_support.hpp"

namespace taskfarm::cli {
namespace {

JoblogEntry entry(std::uint64_t seq, int exit_value, int signal = 0, std::string command = "echo hi") {
    JoblogEntry e;
    e.seq = seq;
    e.host = "node1";
    e.start_time = 1700000000.1234;
    e.runtime = 1.5;
    e.exit_value = exit_value;
    e.signal = signal;
    e.command = std::move(command);
    return e;
}

TEST(Joblog, LineHasGnuParallelsColumnsAndNumberFormats) {
    EXPECT_EQ(format_joblog_line(entry(3, 1, 0, "echo a\tb")),
              "3\tnode1\t1700000000.123\t     1.500\t0\t0\t1\t0\techo a\tb\n");
    EXPECT_STREQ(joblog_header, "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand");
}

TEST(Joblog, ParsesWhatItFormatsCommandTabsIncluded) {
    std::string line = format_joblog_line(entry(12, -1, 15, "sleep 9\t# x"));
    line.pop_back();
    auto const e = parse_joblog_line(line, "log", 2);
    EXPECT_EQ(e.seq, 12u);
    EXPECT_EQ(e.host, "node1");
    EXPECT_NEAR(e.start_time, 1700000000.123, 1e-6);
    EXPECT_DOUBLE_EQ(e.runtime, 1.5);
    EXPECT_EQ(e.exit_value, -1);
    EXPECT_EQ(e.signal, 15);
    EXPECT_EQ(e.command, "sleep 9\t# x");
    EXPECT_TRUE(e.failed());
}

TEST(Joblog, ParsesAGnuParallelLine) {
    auto const e = parse_joblog_line("1\t:\t1376577364.974\t0.008\t0\t0\t0\t0\ttrue", "log", 2);
    EXPECT_EQ(e.seq, 1u);
    EXPECT_EQ(e.host, ":");
    EXPECT_FALSE(e.failed());
}

TEST(Joblog, MalformedLinesNameFileAndLine) {
    try {
        (void)parse_joblog_line("1\tnode\tx\t0.1\t0\t0\t0\t0\tcmd", "run.log", 5);
        FAIL() << "no error";
    } catch (InputError const& e) {
        EXPECT_STREQ(e.what(), "run.log:5: joblog column Starttime is not a number: 'x'");
    }
    EXPECT_THROW((void)parse_joblog_line("1\tnode\t2", "run.log", 6), InputError);
}

TEST(Joblog, WriterWritesHeaderOnceAndTruncatesUnlessAppending) {
    testing::TempDir dir;
    auto const path = dir.file("log");
    {
        JoblogWriter w(path, false);
        w.write(entry(1, 0));
    }
    {
        JoblogWriter w(path, true);
        w.write(entry(2, 0));
    }
    EXPECT_EQ(testing::read_text(path),
              std::string(joblog_header) + "\n" + format_joblog_line(entry(1, 0)) + format_joblog_line(entry(2, 0)));
    {
        JoblogWriter w(path, false);
        w.write(entry(3, 0));
    }
    EXPECT_EQ(testing::read_text(path), std::string(joblog_header) + "\n" + format_joblog_line(entry(3, 0)));
}

TEST(Joblog, HistoryKeepsTheLastEntryOfEachTaskAndIgnoresATornLastLine) {
    testing::TempDir dir;
    auto const path = dir.file("log");
    testing::write_text(path, std::string(joblog_header) + "\n" + format_joblog_line(entry(1, 1)) +
                                  format_joblog_line(entry(2, 0)) + format_joblog_line(entry(1, 0)) +
                                  format_joblog_line(entry(3, 2)) + "4\tnode1\t17000");
    auto const history = read_joblog(path);
    ASSERT_EQ(history.last.size(), 3u);
    EXPECT_EQ(history.last.at(1).exit_value, 0);
    EXPECT_EQ(history.last.at(3).exit_value, 2);
    ASSERT_EQ(history.warnings.size(), 1u);
    EXPECT_EQ(history.warnings[0], path + ":6: ignoring an incomplete last line (the run was killed)");

    EXPECT_TRUE(already_done(history, 1, ResumeMode::resume));
    EXPECT_TRUE(already_done(history, 3, ResumeMode::resume));
    EXPECT_FALSE(already_done(history, 4, ResumeMode::resume));
    EXPECT_TRUE(already_done(history, 1, ResumeMode::resume_failed));
    EXPECT_FALSE(already_done(history, 3, ResumeMode::resume_failed));
    EXPECT_FALSE(already_done(history, 1, ResumeMode::none));
}

TEST(Joblog, AppendingCutsOffATornLastLine) {
    testing::TempDir dir;
    auto const path = dir.file("log");
    testing::write_text(path, std::string(joblog_header) + "\n" + "4\tnode1\t17000");
    {
        JoblogWriter w(path, true);
        w.write(entry(5, 0));
    }
    EXPECT_EQ(testing::read_text(path), std::string(joblog_header) + "\n" + format_joblog_line(entry(5, 0)));
}

TEST(Joblog, SyncingWriterWritesTheSameFile) {
    testing::TempDir dir;
    auto const path = dir.file("log");
    {
        JoblogWriter w(path, false, true);
        w.write(entry(1, 0));
        w.write(entry(2, 3));
    }
    EXPECT_EQ(testing::read_text(path),
              std::string(joblog_header) + "\n" + format_joblog_line(entry(1, 0)) + format_joblog_line(entry(2, 3)));
}

TEST(Joblog, SyncingWriterReportsAFailedFlush) {
    // A FIFO takes writes but cannot be flushed to disk (EINVAL): the flush is really attempted
    // after the header, and its failure is an error, not silence.
    testing::TempDir dir;
    auto const path = dir.file("fifo");
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    EXPECT_NO_THROW(JoblogWriter(path, true, false));
    EXPECT_THROW(JoblogWriter(path, true, true), std::system_error);
}

TEST(Joblog, MissingJoblogIsAnEmptyHistory) { EXPECT_TRUE(read_joblog("/nonexistent/joblog").last.empty()); }

}  // namespace
}  // namespace taskfarm::cli
