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
    ranges.remove(5, 5);   // [5, 10) done
    ranges.remove(12, 1);  // 12 done
    ranges.remove(18, 10); // past the end is clipped
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
