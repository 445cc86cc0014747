#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

#include "engine/block_pool.hpp"

using namespace taskfarm::detail;

namespace {
// A job whose block results are the task indices; tasks divisible by 97 sleep a little; a block
// whose inputs say "bad" fails whole, task 13 throws.
class IndexJob final : public Job {
public:
    std::uint64_t size() const override { return 0; }
    char const* call_kind() const override { return "test"; }
    std::string result_type() const override { return "u64"; }
    char const* codec() const override { return "raw"; }
    std::uint64_t type_id() const override { return 1; }
    void encode_inputs(std::uint64_t, std::uint64_t, Bytes&) override {}
    void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out, FailureList& failures,
                   Team& team) override {
        if (inputs.size() == 3) throw std::runtime_error("undecodable block");
        out.resize(count * sizeof(std::uint64_t));
        auto body = [&](std::uint64_t begin, std::uint64_t end) {
            for (auto k = begin; k < end; ++k) {
                std::uint64_t const index = first + k;
                if (index == 13) {
                    failures.add(index, "thirteen");
                    continue;
                }
                if (index % 97 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
                std::memcpy(out.data() + k * sizeof(index), &index, sizeof(index));
            }
        };
        team.parallel(count, RangeBody(body));
    }
    void accept_results(std::uint64_t, std::uint64_t, ByteView, std::span<std::uint64_t const>) override {}
};

void run_blocks(int threads, std::uint64_t blocks, std::uint64_t size, bool driver_runs_blocks = true) {
    IndexJob job;
    int polls = 0;
    BlockPool pool(
        job, threads, [&] { ++polls; }, 0, driver_runs_blocks);
    std::map<std::uint64_t, FinishedBlock> finished;
    pool.run([&] {
        std::uint64_t pushed = 0;
        while (finished.size() < blocks) {
            if (pushed < blocks && pool.queued() < 3) {
                pool.push(QueuedBlock{pushed * size, size, {}});
                ++pushed;
                continue;
            }
            if (!pool.run_one()) std::this_thread::yield();
            while (auto done = pool.pop_finished()) {
                EXPECT_TRUE(finished.emplace(done->first, std::move(*done)).second);
            }
        }
        EXPECT_EQ(pool.in_hand(), 0u);
    });
    ASSERT_EQ(finished.size(), blocks);
    for (auto const& [first, block] : finished) {
        ASSERT_EQ(block.results.size(), size * sizeof(std::uint64_t));
        for (std::uint64_t k = 0; k < size; ++k) {
            std::uint64_t value = 0;
            std::memcpy(&value, block.results.data() + k * sizeof(value), sizeof(value));
            if (first + k != 13) {
                ASSERT_EQ(value, first + k);
            }
        }
        bool const has13 = first <= 13 && 13 < first + size;
        ASSERT_EQ(block.failures.size(), has13 ? 1u : 0u);
        if (has13) {
            EXPECT_EQ(block.failures[0].message, "thirteen");
        }
        EXPECT_GE(block.thread, 0);
        EXPECT_LT(block.thread, threads);
        EXPECT_LE(block.start, block.end);
    }
}
}  // namespace

TEST(BlockPool, EveryBlockFinishesOnceWithItsResults) {
    for (int threads : {1, 2, 4}) run_blocks(threads, 200, 37);
}

TEST(BlockPool, ADriverThatOnlyDrivesLeavesTheBlocksToTheOtherThreads) {
    for (int threads : {1, 3}) run_blocks(threads, 100, 11, false);
}

TEST(BlockPool, ABlockThatCannotBeDecodedFailsWhole) {
    IndexJob job;
    BlockPool pool(job, 2, nullptr);
    std::optional<FinishedBlock> done;
    pool.run([&] {
        pool.push(QueuedBlock{100, 5, Bytes(3)});
        while (!(done = pool.pop_finished())) pool.run_one() || (std::this_thread::yield(), true);
    });
    ASSERT_TRUE(done);
    EXPECT_TRUE(done->failed_whole);
    ASSERT_EQ(done->failures.size(), 1u);
    EXPECT_EQ(done->failures[0].index, 100u);
    EXPECT_EQ(done->failures[0].message, "undecodable block");
}

TEST(BlockPool, DriverErrorsSurfaceAfterTheJoinAndQueuedBlocksAreDropped) {
    IndexJob job;
    BlockPool pool(job, 3, nullptr);
    EXPECT_THROW(pool.run([&] {
        for (int i = 0; i < 50; ++i) pool.push(QueuedBlock{std::uint64_t(i) * 10, 10, {}});
        throw std::logic_error("driver failed");
    }),
                 std::logic_error);
    EXPECT_EQ(pool.queued(), 0u);
}

TEST(BlockPool, DropQueuedReturnsWhatHadNotStarted) {
    IndexJob job;
    BlockPool pool(job, 1, nullptr);
    pool.run([&] {
        pool.push(QueuedBlock{0, 4, {}});
        pool.push(QueuedBlock{4, 4, {}});
        auto dropped = pool.drop_queued();
        ASSERT_EQ(dropped.size(), 2u);
        EXPECT_EQ(dropped[1].first, 4u);
        EXPECT_FALSE(pool.run_one());
    });
}
