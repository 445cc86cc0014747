// Results large enough to travel as a head and a separate payload (wire.hpp, 64 KiB and more a
// block): raw ones are received straight into map's output, the others into a buffer first. Each
// test compares with the serial results, so a payload landing in the wrong place, or a later
// call's receive matching an earlier call's payload, fails it.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <taskfarm/taskfarm.hpp>

namespace {

constexpr std::size_t kWords = 12 * 1024;  // 96 KiB: one task alone is over the split size

struct Big {  // trivially copyable: raw bytes
    std::array<std::uint64_t, kWords> words;
};

std::uint64_t word(std::size_t task, std::size_t k) { return task * 1'000'003u + k * 7u + 1u; }

Big make_big(std::size_t task) {
    Big b;
    for (std::size_t k = 0; k < kWords; ++k) b.words[k] = word(task, k);
    return b;
}

void expect_big(std::size_t task, Big const& b) {
    for (std::size_t k = 0; k < kWords; ++k) {
        if (b.words[k] != word(task, k)) {
            ADD_FAILURE() << "task " << task << " word " << k << " is " << b.words[k];
            return;
        }
    }
}

taskfarm::Options with_chunk(std::size_t chunk) {
    taskfarm::Options o;
    o.chunk_size = chunk;
    return o;
}

}  // namespace

TEST(FarmLargeResults, RawResultsLandInMapsOutputAtEveryChunkSize) {
    for (std::size_t const chunk : {1u, 3u, 0u}) {
        taskfarm::Farm farm(boost::mpi::communicator{}, with_chunk(chunk));
        // Two calls in a row: the second's payloads must not meet the first's receives.
        for (std::size_t const n : {37u, 5u}) {
            std::vector<Big> const out = farm.map(make_big, taskfarm::indices(n));
            if (!farm.is_root()) continue;
            ASSERT_EQ(out.size(), n);
            for (std::size_t i = 0; i < n; ++i) expect_big(i, out[i]);
        }
    }
}

TEST(FarmLargeResults, RawResultsOfABlockWithAFailureComeThroughABuffer) {
    taskfarm::Options options = with_chunk(4);
    options.on_error = taskfarm::OnError::collect;
    taskfarm::Farm farm(boost::mpi::communicator{}, options);
    std::vector<int> seen(20, 0);
    try {
        farm.for_each(
            [](std::size_t i) {
                if (i == 9) throw std::runtime_error("task nine fails");
                return make_big(i);
            },
            taskfarm::indices(20),
            [&](std::size_t i, Big const& b) {
                ++seen[i];
                expect_big(i, b);
            });
        ADD_FAILURE() << "no TaskError";
    } catch (taskfarm::TaskError const& e) {
        ASSERT_EQ(e.failures().size(), 1u);
        EXPECT_EQ(e.failures()[0].index, 9u);
        EXPECT_NE(e.failures()[0].message.find("task nine fails"), std::string::npos);
    }
    if (!farm.is_root()) return;
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i == 9 ? 0 : 1) << "task " << i;
}

TEST(FarmLargeResults, ArchivedResultsMatchTheSerialOnes) {
    taskfarm::Farm farm(boost::mpi::communicator{}, with_chunk(2));
    auto const make = [](std::size_t i) { return std::vector<char>(100'000 + i, static_cast<char>('a' + i % 26)); };
    std::vector<std::vector<char>> const out = farm.map(make, taskfarm::indices(15));
    if (!farm.is_root()) return;
    ASSERT_EQ(out.size(), 15u);
    for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], make(i)) << "task " << i;
}
