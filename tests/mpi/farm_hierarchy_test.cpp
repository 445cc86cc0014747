// The two-level hierarchy (Options::group_size): the root, sub-masters farming their groups, and
// group workers. Every result is compared with a serial run, every task counted once, failures,
// retries and resume checked as without the hierarchy. Run on 4-8 ranks in groups of 2-4.
#include <gtest/gtest.h>

#include <fcntl.h>

#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "reliab_support.hpp"

namespace {

taskfarm::Options grouped(int group_size) {
    taskfarm::Options o;
    o.group_size = group_size;
    return o;
}

std::vector<int> group_sizes() {
    int const size = boost::mpi::communicator().size();
    std::vector<int> sizes;
    for (int g : {2, 3, 4})
        if (g < size) sizes.push_back(g);
    return sizes;
}

long serial(std::size_t i) { return static_cast<long>(i * i % 1009) - 300; }

}  // namespace

TEST(Hierarchy, MapOfIndicesMatchesSerialAndRunsEveryTaskOnce) {
    for (int g : group_sizes()) {
        for (std::uint64_t chunk : {0ull, 1ull, 13ull}) {
            taskfarm::Options o = grouped(g);
            o.chunk_size = chunk;
            taskfarm::Farm farm(boost::mpi::communicator(), o);
            reliab::Executions runs;
            auto const out = farm.map(
                [&](std::size_t i) {
                    runs.add();
                    return serial(i);
                },
                taskfarm::indices(5000));
            long const total = runs.total();
            if (farm.is_root()) {
                ASSERT_EQ(out.size(), 5000u) << "group " << g;
                for (std::size_t i = 0; i < out.size(); ++i)
                    ASSERT_EQ(out[i], serial(i)) << "task " << i << " group " << g;
                EXPECT_EQ(total, 5000) << "every task ran exactly once, group " << g << " chunk " << chunk;
            }
        }
    }
}

TEST(Hierarchy, ArchivedInputsAndResultsAreCutAndJoinedRight) {
    std::vector<std::string> words;
    for (int i = 0; i < 1500; ++i)
        words.push_back(std::string(static_cast<std::size_t>(i % 37), 'a' + i % 26) + std::to_string(i));
    for (int g : group_sizes()) {
        taskfarm::Farm farm(boost::mpi::communicator(), grouped(g));
        auto const out = farm.map([](std::string const& w) { return w + "!" + std::to_string(w.size()); }, words);
        if (farm.is_root()) {
            ASSERT_EQ(out.size(), words.size());
            for (std::size_t i = 0; i < words.size(); ++i)
                ASSERT_EQ(out[i], words[i] + "!" + std::to_string(words[i].size()));
        }
    }
}

TEST(Hierarchy, MapReduceAndForEachMatchSerial) {
    for (int g : group_sizes()) {
        taskfarm::Farm farm(boost::mpi::communicator(), grouped(g));
        long expected = 0;
        for (std::size_t i = 0; i < 7000; ++i) expected += serial(i);
        long const sum = farm.map_reduce([](std::size_t i) { return serial(i); }, std::plus<long>{},
                                         taskfarm::indices(7000), 0L);
        std::vector<int> seen(3000, 0);
        farm.for_each([](std::size_t i) { return serial(i); }, taskfarm::indices(3000),
                      [&](std::size_t i, long value) {
                          ++seen[i];
                          EXPECT_EQ(value, serial(i));
                      });
        if (farm.is_root()) {
            EXPECT_EQ(sum, expected) << "group " << g;
            for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], 1) << "task " << i;
        }
    }
}

TEST(Hierarchy, AFailedTaskIsRetriedAndOneOutOfRetriesIsReportedByIndex) {
    reliab::ScratchDir dir;
    for (int g : group_sizes()) {
        // The first attempt of task 77, wherever it runs, fails: it is the one that makes the marker.
        std::string const marker = dir.file("first-attempt-" + std::to_string(g));
        taskfarm::Options o = grouped(g);
        o.retries = 2;
        o.chunk_size = 5;
        taskfarm::Farm farm(boost::mpi::communicator(), o);
        auto const out = farm.map(
            [&](std::size_t i) {
                if (i == 77 && ::open(marker.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600) >= 0)
                    throw std::runtime_error("first attempt fails");
                return serial(i);
            },
            taskfarm::indices(400));
        if (farm.is_root()) {
            ASSERT_EQ(out.size(), 400u);
            for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], serial(i));
        }
        o.retries = 1;
        taskfarm::Farm failing(boost::mpi::communicator(), o);
        try {
            failing.map(
                [](std::size_t i) -> long {
                    if (i == 123) throw std::runtime_error("always");
                    return serial(i);
                },
                taskfarm::indices(400));
            FAIL() << "no TaskError on rank " << failing.rank();
        } catch (taskfarm::TaskError const& e) {
            EXPECT_EQ(e.index(), 123u);
            EXPECT_NE(std::string(e.what()).find("always"), std::string::npos) << e.what();
        }
    }
}

TEST(Hierarchy, ResumesExactlyFromAJournalCutShort) {
    reliab::ScratchDir dir;
    for (int g : group_sizes()) {
        std::string const journal = dir.file("h" + std::to_string(g) + ".tfj");
        taskfarm::Options o = grouped(g);
        o.journal = journal;
        o.chunk_size = 7;
        o.on_error = taskfarm::OnError::collect;
        reliab::Executions first, second;
        {
            taskfarm::Farm farm(boost::mpi::communicator(), o);
            EXPECT_THROW(farm.map(
                             [&](std::size_t i) {
                                 if (i % 50 == 49) throw std::runtime_error("cut");
                                 first.add();
                                 return serial(i);
                             },
                             taskfarm::indices(900)),
                         taskfarm::TaskError);
        }
        long const done_first = first.total();
        taskfarm::Farm farm(boost::mpi::communicator(), o);
        auto const out = farm.map(
            [&](std::size_t i) {
                second.add();
                return serial(i);
            },
            taskfarm::indices(900));
        long const done_second = second.total();
        if (farm.is_root()) {
            ASSERT_EQ(out.size(), 900u);
            for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], serial(i)) << "task " << i;
            EXPECT_EQ(done_first, 900 - 18);
            EXPECT_EQ(done_second, 18) << "only the failed tasks run again";
        }
    }
}

TEST(Hierarchy, StatisticsComeBackAndTheFarmStaysUsable) {
    taskfarm::Farm farm(boost::mpi::communicator(), grouped(2));
    for (int call = 0; call < 3; ++call) {
        auto const out = farm.map([](std::size_t i) { return serial(i); },
                                  taskfarm::indices(1000 + static_cast<std::size_t>(call)));
        if (farm.is_root()) {
            ASSERT_EQ(out.size(), 1000u + static_cast<std::size_t>(call));
            // Every rank's trace comes to the root, group workers' too.
            EXPECT_EQ(farm.statistics().tasks, 1000u + static_cast<std::size_t>(call));
            EXPECT_EQ(farm.statistics().ranks.size(), static_cast<std::size_t>(farm.size()));
        }
    }
}
