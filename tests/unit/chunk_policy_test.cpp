#include <gtest/gtest.h>

#include "engine/chunk_policy.hpp"

using taskfarm::detail::ChunkPolicy;

TEST(ChunkPolicy, FixedSizeIsKeptButNeverPastTheEnd) {
    ChunkPolicy policy(16, 0.005, 4);
    EXPECT_EQ(policy.next_size(1, 1000), 16u);
    EXPECT_EQ(policy.next_size(4, 10), 10u);
    EXPECT_EQ(policy.next_size(1, 0), 0u);
}

TEST(ChunkPolicy, FirstChunksHoldOneTaskPerThread) {
    ChunkPolicy policy(0, 0.005, 8);
    EXPECT_EQ(policy.next_size(1, 1000000), 1u);
    EXPECT_EQ(policy.next_size(4, 1000000), 4u);
}

TEST(ChunkPolicy, AimsAtTheTargetDurationAfterGrowingGradually) {
    ChunkPolicy policy(0, 0.010, 2);   // 10 ms chunks, 2 slots in all
    policy.observe(10, 10 * 1e-4, 1);  // 100 µs per task
    std::uint64_t size = 0;
    std::uint64_t previous = 1;
    for (int i = 0; i < 20; ++i) {
        size = policy.next_size(1, 1000000);
        EXPECT_LE(size, 2 * previous + 1);  // at most twofold growth per chunk
        previous = size;
    }
    EXPECT_EQ(size, 100u);  // 10 ms / 100 µs
}

TEST(ChunkPolicy, ScalesWithTheRanksThreads) {
    ChunkPolicy policy(0, 0.010, 8);
    policy.observe(100, 100 * 1e-4, 1);
    for (int i = 0; i < 20; ++i) (void)policy.next_size(4, 100000000);
    EXPECT_EQ(policy.next_size(4, 100000000), 400u);  // 4 threads x 10 ms / 100 µs
}

TEST(ChunkPolicy, ShrinksAsTheWorkRunsOut) {
    ChunkPolicy policy(0, 1.0, 4);  // a huge target: only the tail rule limits the size
    policy.observe(1000, 1e-6, 1);
    for (int i = 0; i < 40; ++i) (void)policy.next_size(1, 1u << 30);
    // Half of this rank's share (1 of 4 slots) of what is left.
    EXPECT_EQ(policy.next_size(1, 800), 100u);
    EXPECT_EQ(policy.next_size(1, 80), 10u);
    EXPECT_EQ(policy.next_size(1, 3), 1u);
}

TEST(ChunkPolicy, NeverExceedsTheCap) {
    ChunkPolicy policy(0, 10.0, 1);
    policy.observe(1000000, 1e-6, 1);  // a picosecond per task
    std::uint64_t size = 0;
    for (int i = 0; i < 60; ++i) size = policy.next_size(1, std::uint64_t{1} << 40);
    EXPECT_EQ(size, ChunkPolicy::max_chunk);
}
