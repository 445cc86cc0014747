#include <gtest/gtest.h>

#include <vector>

#include "engine/task_ranges.hpp"

using taskfarm::detail::TaskRange;
using taskfarm::detail::TaskRanges;

TEST(TaskRanges, HandsOutEverythingInOrderOnce) {
    TaskRanges ranges(10);
    EXPECT_EQ(ranges.take(4), (TaskRange{0, 4}));
    EXPECT_EQ(ranges.take(4), (TaskRange{4, 4}));
    EXPECT_EQ(ranges.remaining(), 2u);
    EXPECT_EQ(ranges.take(4), (TaskRange{8, 2}));
    EXPECT_TRUE(ranges.empty());
    EXPECT_FALSE(ranges.take(4).has_value());
}

TEST(TaskRanges, NoTasks) {
    TaskRanges ranges(0);
    EXPECT_TRUE(ranges.empty());
    EXPECT_FALSE(ranges.take(1).has_value());
}

TEST(TaskRanges, RemovedRangesAreSkippedAndNeverCrossed) {
    TaskRanges ranges(20);
    ranges.remove(5, 5);    // [5, 10) done
    ranges.remove(12, 1);   // 12 done
    ranges.remove(18, 10);  // past the end is clipped
    EXPECT_EQ(ranges.remaining(), 20u - 5 - 1 - 2);
    std::vector<TaskRange> got;
    while (auto r = ranges.take(100)) got.push_back(*r);
    EXPECT_EQ(got, (std::vector<TaskRange>{{0, 5}, {10, 2}, {13, 5}}));
}

TEST(TaskRanges, RemovingOverlapsAndTwiceCountsOnce) {
    TaskRanges ranges(10);
    ranges.remove(2, 4);
    ranges.remove(3, 5);
    ranges.remove(2, 4);
    EXPECT_EQ(ranges.remaining(), 4u);
    EXPECT_EQ(ranges.take(10), (TaskRange{0, 2}));
    EXPECT_EQ(ranges.take(10), (TaskRange{8, 2}));
}

#include "engine/task_ledger.hpp"

using taskfarm::detail::TaskLedger;

TEST(TaskLedger, CountsEachTaskOnceWhateverTheOrder) {
    TaskLedger ledger(100, 0);
    ledger.mark_done(50, 10, {});
    ledger.mark_done(10, 10, {});
    std::vector<std::uint64_t> const skip{22, 25};
    ledger.mark_done(20, 10, skip);  // 20..29 but 22 and 25
    EXPECT_EQ(ledger.done(), 28u);
    ledger.mark_done(15, 40, {});   // overlaps everything so far
    EXPECT_EQ(ledger.done(), 50u);  // 10..59
    auto const skipped = ledger.skipped(55, 10, {});
    EXPECT_EQ(skipped, (std::vector<std::uint64_t>{55, 56, 57, 58, 59}));
    std::vector<taskfarm::TaskFailure> const failed{{62, 1, "x"}, {90, 1, "y"}};
    EXPECT_EQ(ledger.skipped(58, 6, failed), (std::vector<std::uint64_t>{58, 59, 62}));
    ledger.mark_done(0, 100, {});
    EXPECT_EQ(ledger.done(), 100u);
    EXPECT_EQ(ledger.tasks(), 100u);
}
