// Futures from the Executor: results against serial calls, several functions by name, argument
// and result types that need serialization, failures as TaskError, wait_for, map/starmap/map_async.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <tuple>
#include <vector>

#include <taskfarm/executor.hpp>
#include <taskfarm/taskfarm.hpp>

#include "executor_test_tasks.hpp"

using namespace executor_tests;

TASKFARM_TASK(square);
TASKFARM_TASK(executor_tests::weighted_sum);
TASKFARM_TASK(describe);
TASKFARM_TASK(fails_on_seven);

namespace {

int touched = 0;
void touch(int times) { touched += times; }
TASKFARM_TASK(touch);

auto const cube = taskfarm::register_task(
    "cube", +[](std::int64_t x) { return x * x * x; });

std::int64_t not_registered(std::int64_t x) { return x; }

TEST(ExecutorFutures, SubmitMatchesSerial) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    std::vector<taskfarm::Future<std::int64_t>> futures;
    for (std::int64_t x = 0; x < 200; ++x) futures.push_back(ex.submit(square, x));
    for (std::int64_t x = 0; x < 200; ++x) {
        EXPECT_EQ(futures[static_cast<std::size_t>(x)].id(), static_cast<std::uint64_t>(x));
        EXPECT_EQ(futures[static_cast<std::size_t>(x)].get(), square(x));
    }
}

TEST(ExecutorFutures, DifferentFunctionsAndSerializedTypes) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    std::vector<double> const values{1.5, 2.5, 3.0};
    auto a = ex.submit(describe, "probe", values);
    auto b = ex.submit(weighted_sum, 10, 0.5);  // arguments convert to the parameter types
    auto c = ex.submit(cube, std::int64_t{-3});
    auto d = ex.submit(square, 12);
    EXPECT_EQ(a.get(), describe("probe", values));
    EXPECT_EQ(b.get(), weighted_sum(10, 0.5));
    EXPECT_EQ(c.get(), -27);
    EXPECT_EQ(d.get(), 144);
    EXPECT_TRUE(a.ready());
}

TEST(ExecutorFutures, VoidTasksComplete) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    auto f = ex.submit(touch, 3);
    static_assert(std::is_void_v<decltype(f.get())>);
    f.get();
    EXPECT_TRUE(f.ready());
    if (ex.size() == 1) {
        EXPECT_EQ(touched, 3);  // ran here; elsewhere it touched a worker's copy
    }
}

TEST(ExecutorFutures, TaskExceptionIsRethrownAsTaskError) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    std::vector<taskfarm::Future<int>> futures;
    for (int x = 0; x < 12; ++x) futures.push_back(ex.submit(fails_on_seven, x));
    for (int x = 0; x < 12; ++x) {
        auto const& f = futures[static_cast<std::size_t>(x)];
        if (x != 7) {
            EXPECT_EQ(f.get(), x + 1);
            continue;
        }
        try {
            (void)f.get();
            ADD_FAILURE() << "get() of the failing task returned";
        } catch (taskfarm::TaskError const& e) {
            EXPECT_EQ(e.index(), f.id());
            EXPECT_GE(e.rank(), 0);
            EXPECT_LT(e.rank(), ex.size());
            EXPECT_EQ(e.failures().size(), 1u);
            EXPECT_EQ(e.failures().front().message, "seven is not allowed");
            EXPECT_NE(std::string(e.what()).find("seven is not allowed"), std::string::npos);
        }
    }
}

TEST(ExecutorFutures, UnregisteredFunctionIsAUsageError) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    try {
        (void)ex.submit(not_registered, std::int64_t{1});
        ADD_FAILURE() << "submit of an unregistered function succeeded";
    } catch (taskfarm::UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("TASKFARM_TASK"), std::string::npos);
    }
}

TEST(ExecutorFutures, WaitForReportsTimeoutThenReady) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    auto f = ex.submit(square, 9);
    // A future is completed only by the root's own progress, so a zero wait cannot see it done.
    EXPECT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
    EXPECT_EQ(f.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    EXPECT_EQ(f.get(), 81);
}

TEST(ExecutorFutures, MapStarmapAndMapAsyncMatchSerial) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    std::vector<std::int64_t> inputs;
    for (std::int64_t x = -50; x < 50; ++x) inputs.push_back(x);
    auto const squares = ex.map(square, inputs);
    ASSERT_EQ(squares.size(), inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(squares[i], square(inputs[i]));

    std::vector<std::tuple<int, double>> args;
    for (int n = 0; n < 30; ++n) args.emplace_back(n, 0.25 * n);
    auto const sums = ex.starmap(weighted_sum, args);
    ASSERT_EQ(sums.size(), args.size());
    for (std::size_t i = 0; i < args.size(); ++i)
        EXPECT_EQ(sums[i], weighted_sum(std::get<0>(args[i]), std::get<1>(args[i])));

    auto futures = ex.map_async(cube, taskfarm::indices(40));
    ASSERT_EQ(futures.size(), 40u);
    taskfarm::wait_all(futures);
    for (std::size_t i = 0; i < futures.size(); ++i) {
        EXPECT_TRUE(futures[i].ready());
        auto const x = static_cast<std::int64_t>(i);
        EXPECT_EQ(futures[i].get(), x * x * x);
    }
}

TEST(ExecutorFutures, MapReportsFailuresByInputPosition) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    std::vector<int> const inputs{10, 7, 3, 7};
    try {
        (void)ex.map(fails_on_seven, inputs);
        ADD_FAILURE() << "map with failing tasks returned";
    } catch (taskfarm::TaskError const& e) {
        ASSERT_EQ(e.failures().size(), 2u);
        EXPECT_EQ(e.failures()[0].index, 1u);
        EXPECT_EQ(e.failures()[1].index, 3u);
        EXPECT_EQ(e.failures()[0].message, "seven is not allowed");
    }
}

}  // namespace
