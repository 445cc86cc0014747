// 64 ranks oversubscribed on a couple of cores: every result still right, every task once.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include <taskfarm/taskfarm.hpp>

namespace {

TEST(FarmManyRanks, MapReduceAndForEachAgreeWithSerial) {
    taskfarm::Farm farm;
    std::size_t const n = 20000;
    auto const squares = farm.map([](std::size_t i) { return i * i; }, taskfarm::indices(n));
    auto const total = farm.map_reduce([](std::size_t i) { return i % 97; }, std::plus<>{}, taskfarm::indices(n),
                                       std::size_t{0});
    std::vector<int> seen;
    if (farm.is_root()) seen.assign(n, 0);
    farm.for_each([](std::size_t i) { return i; }, taskfarm::indices(n),
                  [&](std::size_t i, std::size_t r) {
                      EXPECT_EQ(r, i);
                      ++seen.at(i);
                  });
    if (!farm.is_root()) return;
    ASSERT_EQ(squares.size(), n);
    std::size_t expected = 0;
    for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(squares[i], i * i);
        ASSERT_EQ(seen[i], 1) << "task " << i;
        expected += i % 97;
    }
    EXPECT_EQ(total, expected);
    // Every rank took part, or at least was there to be counted.
    EXPECT_EQ(farm.statistics().ranks.size(), static_cast<std::size_t>(farm.size()));
}

}  // namespace
