// Task counts and durations that stress the scheduler: none, one, fewer than ranks, 100 000 tiny
// ones, very uneven ones, fixed chunk sizes, another root, a sub-communicator, calls in a row.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <numeric>
#include <thread>
#include <vector>

#include <boost/mpi/communicator.hpp>

#include <taskfarm/taskfarm.hpp>

namespace {

std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    return x ^ (x >> 33);
}

void expect_identity_map(taskfarm::Farm& farm, std::size_t n) {
    auto const out = farm.map([](std::size_t i) { return mix(i); }, taskfarm::indices(n));
    if (!farm.is_root()) {
        EXPECT_TRUE(out.empty());
        return;
    }
    ASSERT_EQ(out.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], mix(i)) << "task " << i;
}

TEST(FarmScheduling, ZeroOneAndFewerTasksThanRanks) {
    taskfarm::Farm farm;
    expect_identity_map(farm, 0);
    expect_identity_map(farm, 1);
    expect_identity_map(farm, static_cast<std::size_t>(farm.size()) - 1);
    expect_identity_map(farm, static_cast<std::size_t>(farm.size()) + 1);
}

TEST(FarmScheduling, HundredThousandTinyTasks) {
    taskfarm::Farm farm;
    expect_identity_map(farm, 100000);
    auto const sum = farm.map_reduce([](std::size_t i) { return mix(i) % 1000; }, std::plus<>{},
                                     taskfarm::indices(100000), std::uint64_t{0});
    if (farm.is_root()) {
        std::uint64_t expected = 0;
        for (std::size_t i = 0; i < 100000; ++i) expected += mix(i) % 1000;
        EXPECT_EQ(sum, expected);
    }
}

TEST(FarmScheduling, VeryUnevenDurations) {
    taskfarm::Farm farm;
    // Every 50th task sleeps 20 ms, the rest are instant: a static split would be badly skewed.
    auto fn = [](std::size_t i) {
        if (i % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return mix(i);
    };
    std::vector<int> seen;
    if (farm.is_root()) seen.assign(400, 0);
    farm.for_each(fn, taskfarm::indices(400), [&](std::size_t i, std::uint64_t r) {
        EXPECT_EQ(r, mix(i));
        ++seen.at(i);
    });
    for (std::size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i], 1) << "task " << i;
    }
}

TEST(FarmScheduling, FixedChunkSizes) {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
        taskfarm::Options options;
        options.chunk_size = chunk;
        taskfarm::Farm farm(boost::mpi::communicator(), options);
        expect_identity_map(farm, 2500);
    }
}

TEST(FarmScheduling, RootIsTheLastRankAndDoesNotCompute) {
    boost::mpi::communicator world;
    taskfarm::Options options;
    options.root = world.size() - 1;
    options.root_computes = false;  // with one rank the root computes anyway
    taskfarm::Farm farm(world, options);
    EXPECT_EQ(farm.is_root(), world.rank() == world.size() - 1);
    expect_identity_map(farm, 3000);
}

TEST(FarmScheduling, RootMainThreadOnlyServes) {
    taskfarm::Options options;
    options.root_main_thread_serves = true;
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    expect_identity_map(farm, 4000);
    auto fn = [](std::size_t i) {
        if (i % 40 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return mix(i);
    };
    auto const out = farm.map(fn, taskfarm::indices(300));
    for (std::size_t i = 0; i < out.size(); ++i) {
        ASSERT_EQ(out[i], mix(i));
    }
}

TEST(FarmScheduling, SubCommunicator) {
    boost::mpi::communicator world;
    // Two halves, each its own farm, running at the same time with different work.
    boost::mpi::communicator half = world.split(world.rank() % 2);
    taskfarm::Farm farm(half);
    std::size_t const n = world.rank() % 2 == 0 ? 1500 : 900;
    expect_identity_map(farm, n);
}

TEST(FarmScheduling, ManyCallsInARow) {
    taskfarm::Farm farm;
    for (std::size_t call = 0; call < 50; ++call) {
        auto const total = farm.map_reduce([call](std::size_t i) { return i * call; }, std::plus<>{},
                                           taskfarm::indices(call * 3), std::size_t{0});
        if (farm.is_root()) {
            std::size_t expected = 0;
            for (std::size_t i = 0; i < call * 3; ++i) expected += i * call;
            ASSERT_EQ(total, expected) << "call " << call;
        }
    }
}

}  // namespace
