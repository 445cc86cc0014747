// What a call reports about itself: statistics on the root, a Chrome trace per call whose chunk
// slices account for every task once, and progress that ends at the total.
#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/mpi/collectives/broadcast.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <taskfarm/taskfarm.hpp>

#include "trace/chrome_trace_reader.hpp"

namespace {

std::string temp_path(boost::mpi::communicator const& comm, std::string const& name) {
    std::string path;
    if (comm.rank() == 0)
        path = (std::filesystem::temp_directory_path() / (name + "." + std::to_string(::getpid()))).string();
    boost::mpi::broadcast(comm, path, 0);
    return path;
}

TEST(FarmObserve, StatisticsAccountForEveryTask) {
    taskfarm::Farm farm;
    auto const out = farm.map([](std::size_t i) { return i * 3; }, taskfarm::indices(5000));
    if (!farm.is_root()) {
        EXPECT_TRUE(farm.statistics().ranks.empty());
        return;
    }
    auto const& stats = farm.statistics();
    ASSERT_EQ(stats.ranks.size(), static_cast<std::size_t>(farm.size()));
    std::uint64_t tasks = 0;
    std::uint64_t chunks = 0;
    for (auto const& r : stats.ranks) {
        tasks += r.tasks;
        chunks += r.chunks;
        EXPECT_GE(r.busy_seconds, 0);
    }
    EXPECT_EQ(tasks, 5000u);
    EXPECT_EQ(stats.tasks, 5000u);
    EXPECT_GE(chunks, 1u);
    EXPECT_GT(stats.wall_seconds, 0);
    if (farm.size() > 1) {
        EXPECT_GT(stats.ranks[1].bytes_received, 0u);  // blocks and the Stop
        EXPECT_GT(stats.ranks[1].bytes_sent, 0u);      // results
    }
    std::string const table = stats.to_string();
    EXPECT_NE(table.find("imbalance"), std::string::npos) << table;
}

TEST(FarmObserve, TraceSlicesCoverEveryTaskOncePerCall) {
    boost::mpi::communicator world;
    std::string const path = temp_path(world, "taskfarm-observe.trace.json");
    taskfarm::Options options;
    options.trace = path;
    taskfarm::Farm farm(world, options);
    farm.map([](std::size_t i) { return i; }, taskfarm::indices(3000));
    farm.map_reduce([](std::size_t i) { return i; }, std::plus<>{}, taskfarm::indices(700), std::size_t{0});
    if (!farm.is_root()) return;
    for (auto const& [file, n] : {std::pair{path, 3000u}, std::pair{path + ".1", 700u}}) {
        auto const call = taskfarm::detail::read_chrome_trace_file(file);
        ASSERT_EQ(call.ranks.size(), static_cast<std::size_t>(farm.size())) << file;
        std::vector<int> seen(n, 0);
        for (auto const& rank : call.ranks)
            for (auto const& e : rank.events)
                if (e.kind == taskfarm::detail::TraceKind::block)
                    for (auto i = e.first; i < e.first + e.count; ++i) ++seen.at(i);
        for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], 1) << file << " task " << i;
        std::filesystem::remove(file);
    }
}

TEST(FarmObserve, ProgressEndsAtTheTotal) {
    std::vector<taskfarm::Progress> reports;
    taskfarm::Options options;
    options.progress = [&](taskfarm::Progress const& p) { reports.push_back(p); };
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    farm.for_each([](std::size_t i) { return i; }, taskfarm::indices(2000), [](std::size_t, std::size_t) {});
    if (!farm.is_root()) {
        EXPECT_TRUE(reports.empty());
        return;
    }
    ASSERT_FALSE(reports.empty());
    EXPECT_TRUE(reports.back().finished);
    EXPECT_EQ(reports.back().done, 2000u);
    EXPECT_EQ(reports.back().total, 2000u);
    for (std::size_t i = 1; i < reports.size(); ++i) EXPECT_LE(reports[i - 1].done, reports[i].done);
}

}  // namespace
