// What a resumed call still has to run, computed from journaled blocks (hand-built here, so every
// case is explicit): gaps, overlaps, failures and reruns that override them.
#include <gtest/gtest.h>

#include "journal/replay.hpp"

namespace taskfarm::journal {
namespace {

Replay replay_of(std::uint64_t task_count, std::vector<ReplayedBlock> blocks) {
    Replay r;
    r.fingerprint.task_count = task_count;
    r.blocks = std::move(blocks);
    return r;
}

ReplayedBlock block(std::uint64_t first, std::uint64_t count, std::vector<TaskFailure> failures = {}) {
    ReplayedBlock b;
    b.first = first;
    b.count = count;
    b.failures = std::move(failures);
    return b;
}

TEST(ReplayPending, EmptyJournalLeavesEverything) {
    EXPECT_EQ(replay_of(10, {}).pending(), (std::vector<TaskRange>{{0, 10}}));
    EXPECT_EQ(replay_of(10, {}).completed_tasks(), 0u);
    EXPECT_TRUE(replay_of(0, {}).pending().empty());
}

TEST(ReplayPending, GapsBetweenBlocksInTaskOrder) {
    auto const r = replay_of(20, {block(10, 3), block(2, 4), block(16, 4)});
    EXPECT_EQ(r.pending(), (std::vector<TaskRange>{{0, 2}, {6, 4}, {13, 3}}));
    EXPECT_EQ(r.completed_tasks(), 11u);
}

TEST(ReplayPending, OverlappingBlocksCountOnce) {
    auto const r = replay_of(10, {block(0, 6), block(4, 4)});
    EXPECT_EQ(r.pending(), (std::vector<TaskRange>{{8, 2}}));
    EXPECT_EQ(r.completed_tasks(), 8u);
}

TEST(ReplayPending, FailedTasksAreRunAgainAndMergeWithGaps) {
    auto const r = replay_of(10, {block(0, 5, {{1, 2, "a"}, {4, 0, "b"}}), block(6, 4, {{9, 1, "c"}})});
    EXPECT_EQ(r.pending(), (std::vector<TaskRange>{{1, 1}, {4, 2}, {9, 1}}));
    auto const failures = r.standing_failures();
    ASSERT_EQ(failures.size(), 3u);
    EXPECT_EQ(failures[0].index, 1u);
    EXPECT_EQ(failures[0].rank, 2);
    EXPECT_EQ(failures[1].message, "b");
    EXPECT_EQ(failures[2].index, 9u);
}

TEST(ReplayPending, LaterBlockOverridesAnEarlierFailure) {
    // Run 1 failed task 3; run 2 reran it alone and it succeeded.
    auto const r = replay_of(8, {block(0, 8, {{3, 1, "flaky"}}), block(3, 1)});
    EXPECT_TRUE(r.pending().empty());
    EXPECT_TRUE(r.standing_failures().empty());
    EXPECT_EQ(r.completed_tasks(), 8u);
}

TEST(ReplayPending, LaterFailureOfARerunStandsWithItsOwnMessage) {
    auto const r = replay_of(8, {block(0, 8, {{3, 1, "first"}}), block(3, 1, {{3, 0, "second"}})});
    EXPECT_EQ(r.pending(), (std::vector<TaskRange>{{3, 1}}));
    ASSERT_EQ(r.standing_failures().size(), 1u);
    EXPECT_EQ(r.standing_failures()[0].message, "second");
    EXPECT_EQ(r.standing_failures()[0].rank, 0);
}

}  // namespace
}  // namespace taskfarm::journal
