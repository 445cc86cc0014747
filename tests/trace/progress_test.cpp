// Progress: the line a person reads, the meter's counting and rate limit, and the bar's output
// on a terminal and in a log.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <taskfarm/progress.hpp>

#include "trace/progress_meter.hpp"
#include "trace/progress_output.hpp"

namespace taskfarm::detail {
namespace {

TEST(FormatProgress, ShowsBarCountsRateAndEta) {
    Progress p;
    p.done = 350;
    p.total = 1000;
    p.failed = 2;
    p.tasks_per_second = 117.4;
    p.eta_seconds = 3725;
    EXPECT_EQ(format_progress(p), "[#######-------------]  35.0%  350/1000 tasks  2 failed  117 tasks/s  ETA 1:02:05");
    p.failed = 0;
    p.tasks_per_second = 1.5;
    p.eta_seconds = -1;
    EXPECT_EQ(format_progress(p, 0), " 35.0%  350/1000 tasks  1.50 tasks/s  ETA ?");
    p.done = 1000;
    p.finished = true;
    p.elapsed_seconds = 61;
    EXPECT_EQ(format_progress(p, 4), "[####] 100.0%  1000/1000 tasks  1.50 tasks/s  in 0:01:01");
    EXPECT_EQ(format_progress(Progress{}, 2), "[##] 100.0%  0/0 tasks  0.00 tasks/s  ETA ?");
}

TEST(ProgressMeter, CountsAndReportsEveryAddWithoutARateLimit) {
    std::vector<Progress> seen;
    ProgressMeter meter([&seen](Progress const& p) { seen.push_back(p); }, 10, 0.0);
    meter.add(3);
    meter.add(2, 1);
    meter.finish();
    meter.finish();  // once only
    meter.add(5);    // after the end: ignored
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].done, 3u);
    EXPECT_FALSE(seen[0].finished);
    EXPECT_EQ(seen[1].done, 5u);
    EXPECT_EQ(seen[1].failed, 1u);
    EXPECT_EQ(seen[1].total, 10u);
    EXPECT_GT(seen[1].tasks_per_second, 0.0);
    // ETA = remaining / rate = 5 tasks at the average rate.
    EXPECT_NEAR(seen[1].eta_seconds, 5 / seen[1].tasks_per_second, 1e-9);
    EXPECT_TRUE(seen[2].finished);
    EXPECT_EQ(seen[2].done, 5u);
}

TEST(ProgressMeter, HoldsBackReportsWithinTheIntervalButNeverTheLast) {
    int calls = 0;
    Progress last;
    ProgressMeter meter(
        [&](Progress const& p) {
            ++calls;
            last = p;
        },
        100, 3600.0);
    for (int i = 0; i < 100; ++i) meter.add(1);
    EXPECT_EQ(calls, 0);
    meter.finish();
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(last.finished);
    EXPECT_EQ(last.done, 100u);
    EXPECT_EQ(last.eta_seconds, 0.0);
}

TEST(ProgressMeter, WithoutACallbackDoesNothing) {
    ProgressMeter meter(nullptr, 10);
    meter.add(4);
    meter.finish();
    EXPECT_EQ(meter.snapshot().done, 0u);
}

// What a progress callback writes to a pipe.
std::string output_of(ProgressCallback const& bar, std::vector<Progress> const& updates, int read_end) {
    for (auto const& p : updates) bar(p);
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(read_end, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
    return text;
}

class ProgressBar : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::pipe(fds_), 0);
        ASSERT_EQ(::fcntl(fds_[0], F_SETFL, O_NONBLOCK), 0);
    }
    void TearDown() override {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    static std::vector<Progress> updates() {
        Progress a;
        a.total = 4;
        a.done = 1;
        Progress b = a;
        b.done = 2;
        Progress c = a;
        c.done = 4;
        c.finished = true;
        return {a, b, c};
    }
    int fds_[2] = {-1, -1};
};

TEST_F(ProgressBar, RedrawsOneLineOnATerminalAndEndsItAtTheEnd) {
    // A redraw interval of an hour: the middle update is held back, the last one never.
    std::string const text = output_of(fd_progress(fds_[1], true, 10, 3600), updates(), fds_[0]);
    EXPECT_EQ(text, "\r\033[K" + format_progress(updates()[0]) + "\r\033[K" + format_progress(updates()[2]) + "\n");
}

TEST_F(ProgressBar, WritesWholeLinesToALog) {
    std::string const text = output_of(fd_progress(fds_[1], false, 0), updates(), fds_[0]);
    EXPECT_EQ(text, "taskfarm: " + format_progress(updates()[0], 0) + "\ntaskfarm: " +
                        format_progress(updates()[1], 0) + "\ntaskfarm: " + format_progress(updates()[2], 0) + "\n");
    EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST_F(ProgressBar, WritesALogLineOnlyEveryInterval) {
    std::string const text = output_of(fd_progress(fds_[1], false, 3600), updates(), fds_[0]);
    EXPECT_EQ(text, "taskfarm: " + format_progress(updates()[0], 0) +
                        "\ntaskfarm: " + format_progress(updates()[2], 0) + "\n");
}

}  // namespace
}  // namespace taskfarm::detail
