// Statistics of a small call computed by hand, and the table a person reads.
#include <gtest/gtest.h>

#include <sstream>

#include "trace/statistics.hpp"
#include "trace_fixtures.hpp"

namespace taskfarm::detail {
namespace {

// Wall 2 s. Rank 0 (root, 1 thread): busy 1.0 s. Rank 1 (2 threads): busy 1.5 + 1.7 s, waited 0.2 s.
// Rank 2 (2 threads): busy 2.0 + 2.0 s.
CallTrace hand_example() {
    CallTrace call;
    call.wall_seconds = 2.0;
    RankTrace r0;
    r0.rank = 0;
    r0.threads = 1;
    r0.chunks = 4;
    r0.thread_counters = {{100, 1.0}};
    r0.bytes_sent = 3000;
    r0.bytes_received = 5 * 1024 * 1024;
    RankTrace r1;
    r1.rank = 1;
    r1.threads = 2;
    r1.chunks = 6;
    r1.thread_counters = {{150, 1.5}, {170, 1.7}};
    r1.wait_seconds = 0.2;
    RankTrace r2;
    r2.rank = 2;
    r2.threads = 2;
    r2.chunks = 8;
    r2.thread_counters = {{200, 2.0}, {200, 2.0}};
    r2.dropped_events = 3;
    call.ranks = {r0, r1, r2};
    return call;
}

TEST(Statistics, MatchesAHandComputedCall) {
    Statistics const s = compute_statistics(hand_example());
    EXPECT_DOUBLE_EQ(s.wall_seconds, 2.0);
    EXPECT_EQ(s.tasks, 820u);
    ASSERT_EQ(s.ranks.size(), 3u);
    EXPECT_EQ(s.ranks[1].tasks, 320u);
    EXPECT_EQ(s.ranks[1].chunks, 6u);
    EXPECT_NEAR(s.ranks[1].busy_seconds, 3.2, 1e-12);
    EXPECT_NEAR(s.ranks[1].idle_seconds, 0.8, 1e-12);  // 2 threads x 2 s - 3.2
    EXPECT_NEAR(s.ranks[0].idle_seconds, 1.0, 1e-12);
    EXPECT_NEAR(s.ranks[2].idle_seconds, 0.0, 1e-12);
    EXPECT_NEAR(s.ranks[1].utilization(s.wall_seconds), 0.8, 1e-12);
    EXPECT_EQ(s.ranks[0].bytes_received, 5u * 1024 * 1024);
    // Busy per thread: 1.0, 1.6, 2.0; mean 1.5333; max/mean - 1 = 2/1.5333 - 1.
    EXPECT_NEAR(s.load_imbalance, 2.0 / (4.6 / 3) - 1, 1e-12);
    // 8.2 busy thread-seconds of 5 threads x 2 s.
    EXPECT_NEAR(s.utilization, 0.82, 1e-12);
    EXPECT_EQ(s.dropped_events, 3u);
}

TEST(Statistics, LeavesARootThatOnlyDispatchesOutOfTheBalance) {
    CallTrace call = hand_example();
    call.ranks[0].computes = false;
    call.ranks[0].thread_counters = {{0, 0.0}};
    Statistics const s = compute_statistics(call);
    EXPECT_DOUBLE_EQ(s.ranks[0].idle_seconds, 0.0);
    EXPECT_NEAR(s.load_imbalance, 2.0 / 1.8 - 1, 1e-12);  // ranks 1 and 2: 1.6 and 2.0 per thread
    EXPECT_NEAR(s.utilization, 7.2 / 8.0, 1e-12);
}

TEST(Statistics, IsZeroForAnEmptyCall) {
    Statistics const s = compute_statistics(CallTrace{});
    EXPECT_EQ(s.tasks, 0u);
    EXPECT_EQ(s.load_imbalance, 0.0);
    EXPECT_EQ(s.utilization, 0.0);
}

TEST(Statistics, PerfectlyBalancedWorkHasNoImbalance) {
    CallTrace call;
    call.wall_seconds = 1;
    for (int r = 0; r < 4; ++r) {
        RankTrace t;
        t.rank = r;
        t.threads = 1 + r % 2;
        for (int i = 0; i < t.threads; ++i) t.thread_counters.push_back({10, 0.5});
        call.ranks.push_back(t);
    }
    EXPECT_NEAR(compute_statistics(call).load_imbalance, 0.0, 1e-12);
}

TEST(Statistics, PrintsATableWithALinePerRankAndTheTotals) {
    Statistics const s = compute_statistics(hand_example());
    std::ostringstream out;
    out << s;
    std::string const text = out.str();
    EXPECT_EQ(text, s.to_string());
    std::istringstream lines(text);
    std::string line;
    std::vector<std::string> all;
    while (std::getline(lines, line)) all.push_back(line);
    ASSERT_EQ(all.size(), 6u);  // header, 3 ranks, totals, dropped events
    EXPECT_NE(all[0].find("busy s"), std::string::npos);
    EXPECT_NE(all[1].find("5.00 MiB"), std::string::npos) << all[1];
    EXPECT_NE(all[1].find("2.93 KiB"), std::string::npos) << all[1];
    EXPECT_NE(all[2].find("3.200"), std::string::npos) << all[2];
    EXPECT_NE(all[2].find("80.0%"), std::string::npos) << all[2];
    EXPECT_NE(all[4].find("820 tasks on 3 ranks (5 threads): utilization 82.0%, load imbalance 30.4%"),
              std::string::npos)
        << all[4];
    EXPECT_NE(all[5].find("lost 3 events"), std::string::npos);
}

TEST(Statistics, AgreesWithTheEventsOfASyntheticCall) {
    CallTrace const call = testing::synthetic_call(2000, 3, 2);
    Statistics const s = compute_statistics(call);
    EXPECT_EQ(s.tasks, 2000u);
    for (std::size_t r = 0; r < call.ranks.size(); ++r) {
        double busy = 0;
        std::uint64_t tasks = 0;
        for (auto const& e : call.ranks[r].events)
            if (e.kind == TraceKind::block) {
                busy += e.end - e.start;
                tasks += e.count;
            }
        EXPECT_NEAR(s.ranks[r].busy_seconds, busy, 1e-9);
        EXPECT_EQ(s.ranks[r].tasks, tasks);
    }
    EXPECT_GT(s.utilization, 0.5);
    EXPECT_LE(s.utilization, 1.0);
}

}  // namespace
}  // namespace taskfarm::detail
