#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/thread_team.hpp"

using namespace taskfarm::detail;

namespace {
void expect_each_index_once(int threads, std::uint64_t count) {
    std::vector<std::atomic<int>> hits(count);
    std::atomic<int> polls{0};
    ThreadTeam team(
        threads, [&] { ++polls; }, std::chrono::microseconds(0));
    auto body = [&](std::uint64_t begin, std::uint64_t end) {
        for (auto i = begin; i < end; ++i) ++hits[i];
    };
    team.parallel(count, RangeBody(body));
    for (std::uint64_t i = 0; i < count; ++i) ASSERT_EQ(hits[i].load(), 1) << "index " << i;
    // With several threads, thread 0 may find every sub-range taken by the others: only a lone
    // thread is sure to poll.
    if (count > 0 && threads == 1) {
        EXPECT_GT(polls.load(), 0);
    }
}
}  // namespace

TEST(ThreadTeam, EveryIndexRunsExactlyOnce) {
    for (int threads : {1, 2, 3, 8})
        for (std::uint64_t count : {0u, 1u, 7u, 1000u, 100003u}) expect_each_index_once(threads, count);
}

TEST(ThreadTeam, PollErrorsSurfaceAfterTheTeamJoins) {
    ThreadTeam team(
        2, [] { throw std::runtime_error("poll failed"); }, std::chrono::microseconds(0));
    std::atomic<std::uint64_t> ran{0};
    // Slow sub-ranges, so that thread 0 surely runs some and polls.
    auto body = [&](std::uint64_t begin, std::uint64_t end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ran += end - begin;
    };
    EXPECT_THROW(team.parallel(1000, RangeBody(body)), std::runtime_error);
    EXPECT_EQ(ran.load(), 1000u);  // the other work still ran
}
