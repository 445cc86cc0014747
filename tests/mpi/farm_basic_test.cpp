// map, map_reduce and for_each against a serial computation, on 1-4 ranks and 1-2 threads.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include <taskfarm/taskfarm.hpp>

namespace {

double work(int x) { return std::sqrt(static_cast<double>(x)) * 3.0 + x; }

std::vector<int> make_inputs(std::size_t n) {
    std::vector<int> v(n);
    std::iota(v.begin(), v.end(), 0);
    return v;
}

TEST(FarmBasic, MapMatchesSerial) {
    taskfarm::Farm farm;
    std::vector<int> inputs;
    if (farm.is_root()) inputs = make_inputs(1000);
    auto const out = farm.map(work, inputs);
    if (farm.is_root()) {
        ASSERT_EQ(out.size(), inputs.size());
        for (std::size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(out[i], work(inputs[i])) << i;
    } else {
        EXPECT_TRUE(out.empty());
    }
}

TEST(FarmBasic, MapReduceMatchesSerial) {
    taskfarm::Farm farm;
    std::vector<int> inputs;
    if (farm.is_root()) inputs = make_inputs(777);
    long const total = farm.map_reduce([](int x) { return long{x} * x; }, std::plus<>{}, inputs, 5L);
    if (farm.is_root()) {
        long expected = 5;
        for (int x : inputs) expected += long{x} * x;
        EXPECT_EQ(total, expected);
    } else {
        EXPECT_EQ(total, 5L);
    }
}

TEST(FarmBasic, ForEachSeesEveryIndexOnce) {
    taskfarm::Farm farm;
    std::vector<int> inputs;
    if (farm.is_root()) inputs = make_inputs(500);
    std::multiset<std::size_t> seen;
    bool all_right = true;
    farm.for_each(work, inputs, [&](std::size_t i, double r) {
        seen.insert(i);
        if (r != work(inputs[i])) all_right = false;
    });
    if (farm.is_root()) {
        EXPECT_TRUE(all_right);
        ASSERT_EQ(seen.size(), inputs.size());
        for (std::size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(seen.count(i), 1u) << i;
    } else {
        EXPECT_TRUE(seen.empty());
    }
}

TEST(FarmBasic, IndicesAndEmpty) {
    taskfarm::Farm farm;
    auto const sq = farm.map([](std::size_t i) { return double(i) * double(i); }, taskfarm::indices(10000));
    if (farm.is_root()) {
        ASSERT_EQ(sq.size(), 10000u);
        for (std::size_t i = 0; i < sq.size(); ++i) EXPECT_EQ(sq[i], double(i) * double(i));
    }
    auto const none = farm.map([](std::size_t i) { return i; }, taskfarm::indices(0));
    EXPECT_TRUE(none.empty());
}

TEST(FarmBasic, ThrowingTaskNamesIndexRankAndMessage) {
    taskfarm::Farm farm;
    try {
        farm.map(
            [](std::size_t i) {
                if (i == 37) throw std::runtime_error("bad input 37");
                return i;
            },
            taskfarm::indices(100));
        FAIL() << "no TaskError";
    } catch (taskfarm::TaskError const& e) {
        EXPECT_EQ(e.index(), 37u);
        EXPECT_GE(e.rank(), 0);
        EXPECT_LT(e.rank(), farm.size());
        std::string const what = e.what();
        EXPECT_NE(what.find("task 37"), std::string::npos) << what;
        EXPECT_NE(what.find("bad input 37"), std::string::npos) << what;
        EXPECT_NE(what.find("rank " + std::to_string(e.rank())), std::string::npos) << what;
    }
    auto const again = farm.map([](std::size_t i) { return i + 1; }, taskfarm::indices(50));
    if (farm.is_root()) {
        ASSERT_EQ(again.size(), 50u);
        EXPECT_EQ(again[49], 50u);
    }
}

}  // namespace
