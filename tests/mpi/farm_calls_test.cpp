// Issue 13, the call shapes a Pool user reaches for: void tasks, per-call options, starmap, and
// shared read-only data; each against a serial computation, on 1-4 ranks and 1-2 threads.
#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/mpi/collectives/all_reduce.hpp>
#include <boost/mpi/collectives/broadcast.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <taskfarm/taskfarm.hpp>

namespace {

// Tasks of a void map run for their effects: here on the rank that runs them, counted per rank
// and summed on the root with a reduction of the farm's own communicator.
std::atomic<std::uint64_t> index_sum{0};
void add_index(std::size_t i) { index_sum += i; }

std::uint64_t summed_over_ranks(taskfarm::Farm const& farm, std::uint64_t mine) {
    return boost::mpi::all_reduce(farm.communicator(), mine, std::plus<>{});
}

TEST(FarmCalls, VoidMapRunsEveryTaskOnce) {
    taskfarm::Farm farm;
    index_sum = 0;
    static_assert(std::is_void_v<decltype(farm.map(add_index, taskfarm::indices(100)))>);
    farm.map(add_index, taskfarm::indices(100));
    EXPECT_EQ(summed_over_ranks(farm, index_sum), 99u * 100u / 2);
}

TEST(FarmCalls, VoidForEachCallbackGetsEachIndexOnce) {
    taskfarm::Farm farm;
    std::multiset<std::size_t> seen;
    farm.for_each(add_index, taskfarm::indices(57), [&](std::size_t i) { seen.insert(i); });
    if (farm.is_root()) {
        ASSERT_EQ(seen.size(), 57u);
        for (std::size_t i = 0; i < 57; ++i) EXPECT_EQ(seen.count(i), 1u) << i;
    } else {
        EXPECT_TRUE(seen.empty());
    }
}

TEST(FarmCalls, VoidTaskThatThrowsIsATaskError) {
    taskfarm::Farm farm;
    auto fails_on_five = [](std::size_t i) {
        if (i == 5) throw std::runtime_error("five");
    };
    try {
        farm.map(fails_on_five, taskfarm::indices(10));
        FAIL() << "no TaskError";
    } catch (taskfarm::TaskError const& e) {
        EXPECT_EQ(e.index(), 5u);
        EXPECT_NE(std::string(e.what()).find("five"), std::string::npos);
    }
}

// A void function's blocks have empty payloads; the journal records them like any other, and a
// rerun with the same journal runs none of its tasks again.
TEST(FarmCalls, VoidMapResumesFromAJournal) {
    boost::mpi::communicator world;
    int root_pid = static_cast<int>(::getpid());
    boost::mpi::broadcast(world, root_pid, 0);
    auto const dir = std::filesystem::temp_directory_path() / ("taskfarm_void_journal_" + std::to_string(root_pid));
    if (world.rank() == 0) std::filesystem::create_directories(dir);
    taskfarm::Options options;
    options.journal = (dir / "void.journal").string();
    {
        taskfarm::Farm farm(world, options);
        index_sum = 0;
        farm.map(add_index, taskfarm::indices(30));
        EXPECT_EQ(summed_over_ranks(farm, index_sum), 29u * 30u / 2);
    }
    {
        taskfarm::Farm farm(world, options);
        index_sum = 0;
        farm.map(add_index, taskfarm::indices(30));
        EXPECT_EQ(summed_over_ranks(farm, index_sum), 0u);  // every block came from the journal
    }
    world.barrier();
    if (world.rank() == 0) std::filesystem::remove_all(dir);
}

TEST(FarmCalls, CallOptionsApplyToOneCallOnly) {
    taskfarm::Farm farm;
    auto const chunks = [&] {
        std::uint64_t total = 0;
        for (auto const& r : farm.statistics().ranks) total += r.chunks;
        return total;
    };
    std::vector<taskfarm::Progress> seen;
    auto square = [](std::size_t i) { return double(i) * double(i); };
    auto const out = farm.map(square, taskfarm::indices(10),
                              {.chunk_size = 3, .progress = [&](taskfarm::Progress const& p) { seen.push_back(p); }});
    if (farm.is_root()) {
        ASSERT_EQ(out.size(), 10u);
        for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(out[i], square(i));
        EXPECT_EQ(chunks(), 4u);  // 3 + 3 + 3 + 1
        ASSERT_FALSE(seen.empty());
        EXPECT_TRUE(seen.back().finished);
        EXPECT_EQ(seen.back().done, 10u);
    }
    // The Farm's own options are back: adaptive chunks, no progress.
    EXPECT_EQ(farm.options().chunk_size, 0u);
    EXPECT_FALSE(farm.options().progress);
    std::size_t const calls_before = seen.size();
    (void)farm.map(square, taskfarm::indices(10), {.chunk_size = 1});
    if (farm.is_root()) {
        EXPECT_EQ(chunks(), 10u);
    }
    EXPECT_EQ(seen.size(), calls_before);
}

TEST(FarmCalls, CallOptionsOnErrorCollect) {
    taskfarm::Farm farm;  // stops at the first failure by default
    auto odd_fails = [](std::size_t i) {
        if (i % 2 == 1) throw std::runtime_error("odd");
        return i;
    };
    try {
        (void)farm.map(odd_fails, taskfarm::indices(20), {.on_error = taskfarm::OnError::collect});
        FAIL() << "no TaskError";
    } catch (taskfarm::TaskError const& e) {
        if (farm.is_root()) {
            EXPECT_EQ(e.failures().size(), 10u);  // every odd task ran and failed
        }
    }
}

TEST(FarmCalls, CallOptionsAreValidated) {
    taskfarm::Farm farm;
    EXPECT_THROW((void)farm.map([](std::size_t i) { return i; }, taskfarm::indices(4), {.prefetch = 0}),
                 taskfarm::UsageError);
    EXPECT_EQ(farm.options().prefetch, 4);
}

TEST(FarmCalls, StarmapMatchesSerial) {
    taskfarm::Farm farm;
    std::vector<std::tuple<int, double, std::string>> args;
    if (farm.is_root())
        for (int i = 0; i < 300; ++i) args.emplace_back(i, 0.5 * i, std::string(static_cast<std::size_t>(i % 7), 'x'));
    auto f = [](int a, double b, std::string const& s) { return a * b + static_cast<double>(s.size()); };
    auto const out = farm.starmap(f, args, {.chunk_size = 16});
    if (farm.is_root()) {
        ASSERT_EQ(out.size(), args.size());
        for (std::size_t i = 0; i < args.size(); ++i) EXPECT_EQ(out[i], std::apply(f, args[i])) << i;
    } else {
        EXPECT_TRUE(out.empty());
    }
    std::vector<std::pair<int, int>> pairs;
    if (farm.is_root()) pairs = {{1, 2}, {3, 4}, {5, 6}};
    auto const sums = farm.starmap([](int a, int b) { return a + b; }, pairs);
    if (farm.is_root()) {
        EXPECT_EQ(sums, (std::vector<int>{3, 7, 11}));
    }
}

// Shared data that counts how often it is decoded on this rank: once per call, never per chunk.
struct Table {
    std::vector<double> values;
    static inline int loads = 0;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        // clang-format off
        ar & values;
        // clang-format on
        if constexpr (Archive::is_loading::value) ++loads;
    }
};

Table make_table() {
    Table t;
    for (int i = 0; i < 1000; ++i) t.values.push_back(std::sin(i));
    return t;
}

double look_up(Table const& t, std::size_t i) { return t.values[(i * 7) % t.values.size()]; }

TEST(FarmCalls, SharedDataReachesEveryTaskOncePerCall) {
    taskfarm::Farm farm;
    Table table;  // the root's only: captured by reference, the workers' tasks would see it empty
    if (farm.is_root()) table = make_table();
    Table const reference = make_table();
    Table::loads = 0;
    auto const out = farm.map(look_up, taskfarm::shared(table), taskfarm::indices(200), {.chunk_size = 1});
    EXPECT_EQ(Table::loads, farm.is_root() ? 0 : 1);  // 200 chunks, one broadcast
    if (farm.is_root()) {
        ASSERT_EQ(out.size(), 200u);
        for (std::size_t i = 0; i < 200; ++i) EXPECT_EQ(out[i], look_up(reference, i)) << i;
    }
    double const total = farm.map_reduce(look_up, std::plus<>{}, taskfarm::shared(table), taskfarm::indices(200), 0.0);
    std::set<std::size_t> seen;
    bool right = true;
    farm.for_each(look_up, taskfarm::shared(table), taskfarm::indices(50), [&](std::size_t i, double r) {
        seen.insert(i);
        right = right && r == look_up(reference, i);
    });
    if (farm.is_root()) {
        double expected = 0;
        for (std::size_t i = 0; i < 200; ++i) expected += look_up(reference, i);
        // Blocks fold their own segments, so the sum is grouped as the (adaptive) blocks fell:
        // equal to the serial one up to rounding, not to the last bit (a few ULPs seen in CI).
        EXPECT_NEAR(total, expected, 1e-12 * std::abs(expected));
        EXPECT_EQ(seen.size(), 50u);
        EXPECT_TRUE(right);
    }
    EXPECT_EQ(Table::loads, farm.is_root() ? 0 : 3);
}

TEST(FarmCalls, BroadcastGivesEveryRankTheRootsValue) {
    taskfarm::Farm farm;
    Table table;
    std::string label;
    if (farm.is_root()) {
        table = make_table();
        label = "from the root";
    }
    farm.broadcast(table);
    farm.broadcast(label);
    EXPECT_EQ(table.values, make_table().values);
    EXPECT_EQ(label, "from the root");
    // Captured by reference now that every rank has it.
    auto const out = farm.map([&table](std::size_t i) { return look_up(table, i); }, taskfarm::indices(100));
    if (farm.is_root()) {
        for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(out[i], look_up(table, i));
    }
}

}  // namespace
