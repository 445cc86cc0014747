// Issue 13: Farm::imap yields results in input order, window by window, with the root holding
// one window at most; the other ranks serve inside imap. On 1-4 ranks and 1-2 threads.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <taskfarm/taskfarm.hpp>

namespace {

std::uint64_t cube(std::size_t i) { return std::uint64_t{i} * i * i; }

TEST(FarmImap, IndicesInInputOrder) {
    taskfarm::Farm farm;
    std::vector<std::uint64_t> got;
    for (std::uint64_t r : farm.imap(cube, taskfarm::indices(100), {.window = 7})) got.push_back(r);
    if (farm.is_root()) {
        ASSERT_EQ(got.size(), 100u);
        for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(got[i], cube(i)) << i;
    } else {
        EXPECT_TRUE(got.empty());
    }
}

TEST(FarmImap, NoTasks) {
    taskfarm::Farm farm;
    for (std::uint64_t r : farm.imap(cube, taskfarm::indices(0))) ADD_FAILURE() << "a result of no task: " << r;
    auto const out = farm.map(cube, taskfarm::indices(2));  // every rank left the stream
    EXPECT_EQ(out.size(), farm.is_root() ? 2u : 0u);
}

TEST(FarmImap, VectorOfStringsWithTheDefaultWindow) {
    taskfarm::Farm farm;
    std::vector<std::string> inputs;
    if (farm.is_root())
        for (int i = 0; i < 2500; ++i) inputs.push_back(std::to_string(i));
    std::size_t k = 0;
    bool right = true;
    for (auto const& r : farm.imap([](std::string const& s) { return s + "!"; }, inputs)) {
        right = right && r == inputs[k] + "!";
        ++k;
    }
    EXPECT_EQ(k, farm.is_root() ? 2500u : 0u);
    EXPECT_TRUE(right);
}

// generate's make runs on the root as windows are handed out: when the loop sees result i, no
// input beyond the end of i's window was made. That is the root's memory bound.
TEST(FarmImap, GeneratedInputsAreMadeWindowByWindow) {
    taskfarm::Farm farm;
    std::size_t highest_made = 0;
    auto make = [&highest_made](std::size_t i) {
        highest_made = std::max(highest_made, i);
        return static_cast<double>(i);
    };
    std::size_t const window = 10;
    std::size_t i = 0;
    for (double r : farm.imap([](double x) { return 2 * x; }, taskfarm::generate(95, make), {.window = window})) {
        EXPECT_EQ(r, 2.0 * static_cast<double>(i));
        EXPECT_LT(highest_made, (i / window + 1) * window) << i;
        ++i;
    }
    EXPECT_EQ(i, farm.is_root() ? 95u : 0u);
}

TEST(FarmImap, LeavingEarlyReleasesTheOtherRanks) {
    taskfarm::Farm farm;
    std::size_t seen = 0;
    for (std::uint64_t r : farm.imap(cube, taskfarm::indices(1000), {.window = 16})) {
        EXPECT_EQ(r, cube(seen));
        if (++seen == 20) break;
    }
    EXPECT_EQ(seen, farm.is_root() ? 20u : 0u);
    { auto never_iterated = farm.imap(cube, taskfarm::indices(10)); }
    // The farm takes the next call on every rank.
    auto const out = farm.map(cube, taskfarm::indices(5));
    if (farm.is_root()) {
        EXPECT_EQ(out, (std::vector<std::uint64_t>{0, 1, 8, 27, 64}));
    }
}

TEST(FarmImap, TaskErrorOnEveryRank) {
    taskfarm::Farm farm;
    auto fails_on_33 = [](std::size_t i) {
        if (i == 33) throw std::runtime_error("thirty-three");
        return i;
    };
    std::size_t seen = 0;
    try {
        for (std::size_t r : farm.imap(fails_on_33, taskfarm::indices(100), {.window = 10})) {
            EXPECT_EQ(r, seen);
            ++seen;
        }
        FAIL() << "no TaskError";
    } catch (taskfarm::TaskError const& e) {
        EXPECT_EQ(e.index(), 3u);  // the index within its window (tasks 30..39)
        EXPECT_NE(std::string(e.what()).find("thirty-three"), std::string::npos);
    }
    EXPECT_EQ(seen, farm.is_root() ? 30u : 0u);  // the three windows before it
    auto const out = farm.map(cube, taskfarm::indices(3));
    if (farm.is_root()) {
        EXPECT_EQ(out.size(), 3u);
    }
}

TEST(FarmImap, RefusesAJournal) {
    taskfarm::Options options;
    options.journal = "imap_test_unused.journal";
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    EXPECT_THROW((void)farm.imap(cube, taskfarm::indices(10)), taskfarm::UsageError);
    auto const out = farm.map(cube, taskfarm::indices(0));
    EXPECT_TRUE(out.empty());
}

}  // namespace
