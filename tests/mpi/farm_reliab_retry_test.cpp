// Retries and failure policies (issue 4): failing tasks are retried on another rank, `stop` reports
// the first failure, `collect` every one (index, rank, message); map_reduce folds retried tasks in
// their place; for_each never sees a task twice. Also: a rank making a different call, bad options,
// signals turned into Interrupted on every rank, and handlers restored after a call.
#include <gtest/gtest.h>
#include <atomic>

#include <unistd.h>

#include <csignal>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "reliab_support.hpp"

namespace {

using reliab::value_of;

taskfarm::Options small_chunks(int retries, taskfarm::OnError policy) {
    taskfarm::Options o;
    o.chunk_size = 5;
    o.retries = retries;
    o.on_error = policy;
    return o;
}

std::string failure_message(std::size_t i, int rank) {
    return "task " + std::to_string(i) + " broke on rank " + std::to_string(rank);
}

// Every 10th task fails the first time it runs on a rank; retries = ranks guarantees a rank that
// has run it before, so everything succeeds, and results match the serial ones.
TEST(Retries, TransientFailuresAreRetriedAndResultsMatchSerial) {
    taskfarm::Farm farm(boost::mpi::communicator(), small_chunks(reliab::world_size(), taskfarm::OnError::stop));
    reliab::SeenOnThisRank seen;
    auto flaky = [&](std::size_t i) {
        if (i % 10 == 0 && seen.first_time(i)) throw std::runtime_error(failure_message(i, reliab::world_rank()));
        return value_of(i);
    };
    auto const out = farm.map(flaky, taskfarm::indices(300));
    if (farm.is_root()) {
        ASSERT_EQ(out.size(), 300u);
        for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], value_of(i)) << i;
    }
}

// A "bad node": task i fails on rank i % size. One retry on another rank fixes every task; on a
// single rank there is no other rank, so they fail for good, each named with index, rank, message.
TEST(Retries, RetryRunsOnAnotherRank) {
    int const size = reliab::world_size();
    taskfarm::Farm farm(boost::mpi::communicator(), small_chunks(1, taskfarm::OnError::collect));
    auto bad_node = [size](std::size_t i) {
        int const rank = reliab::world_rank();
        if (i % 7 == 0 && static_cast<int>(i % static_cast<std::size_t>(size)) == rank)
            throw std::runtime_error(failure_message(i, rank));
        return value_of(i);
    };
    if (size > 1) {
        auto const out = farm.map(bad_node, taskfarm::indices(200));
        if (farm.is_root()) {
            for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], value_of(i)) << i;
        }
        return;
    }
    try {
        (void)farm.map(bad_node, taskfarm::indices(200));
        FAIL() << "expected TaskError";
    } catch (taskfarm::TaskError const& e) {
        ASSERT_EQ(e.failures().size(), 29u);  // 0, 7, ..., 196
        for (std::size_t k = 0; k < e.failures().size(); ++k) {
            EXPECT_EQ(e.failures()[k].index, 7 * k);
            EXPECT_EQ(e.failures()[k].rank, 0);
            EXPECT_EQ(e.failures()[k].message, failure_message(7 * k, 0));
        }
    }
}

// stop: the first failure ends the call on every rank, with the task's index, rank and message.
TEST(FailurePolicy, StopReportsTheFailureOnEveryRank) {
    taskfarm::Farm farm(boost::mpi::communicator(), small_chunks(0, taskfarm::OnError::stop));
    auto broken = [](std::size_t i) {
        if (i == 37) throw std::runtime_error(failure_message(i, reliab::world_rank()));
        return value_of(i);
    };
    try {
        (void)farm.map(broken, taskfarm::indices(400));
        FAIL() << "expected TaskError";
    } catch (taskfarm::TaskError const& e) {
        ASSERT_EQ(e.failures().size(), 1u);
        EXPECT_EQ(e.index(), 37u);
        ASSERT_GE(e.rank(), 0);
        ASSERT_LT(e.rank(), reliab::world_size());
        EXPECT_EQ(e.failures().front().message, failure_message(37, e.rank()));
        EXPECT_NE(std::string(e.what()).find("task 37 failed on rank " + std::to_string(e.rank())), std::string::npos)
            << e.what();
    }
    // The farm stays usable.
    auto const again = farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(50));
    if (farm.is_root()) {
        EXPECT_EQ(again.back(), value_of(49));
    }
}

// collect: everything else runs (for_each sees each good task exactly once), then one TaskError
// lists every failed task in index order, with the message of its last attempt.
TEST(FailurePolicy, CollectFinishesEverythingAndListsEveryFailure) {
    taskfarm::Farm farm(boost::mpi::communicator(), small_chunks(2, taskfarm::OnError::collect));
    auto broken = [](std::size_t i) {
        if (i % 50 == 7) throw std::runtime_error(failure_message(i, reliab::world_rank()));
        return value_of(i);
    };
    std::map<std::size_t, int> calls;
    bool values_right = true;
    try {
        farm.for_each(broken, taskfarm::indices(500), [&](std::size_t i, long r) {
            ++calls[i];
            values_right = values_right && r == value_of(i);
        });
        FAIL() << "expected TaskError";
    } catch (taskfarm::TaskError const& e) {
        ASSERT_EQ(e.failures().size(), 10u);
        for (std::size_t k = 0; k < 10; ++k) {
            auto const& f = e.failures()[k];
            EXPECT_EQ(f.index, 50 * k + 7);
            ASSERT_GE(f.rank, 0);
            EXPECT_EQ(f.message, failure_message(f.index, f.rank));
        }
    }
    if (farm.is_root()) {
        EXPECT_TRUE(values_right);
        EXPECT_EQ(calls.size(), 490u);
        for (auto const& [i, n] : calls) {
            EXPECT_NE(i % 50, 7u) << i;
            EXPECT_EQ(n, 1) << "callback called " << n << " times for task " << i;
        }
    }
}

// map_reduce with a non-commutative op: retried tasks leave holes in their blocks' folds, which
// must be filled in index order.
TEST(Retries, MapReduceFoldsRetriedTasksInOrder) {
    taskfarm::Farm farm(boost::mpi::communicator(), small_chunks(reliab::world_size(), taskfarm::OnError::stop));
    reliab::SeenOnThisRank seen;
    auto flaky = [&](std::size_t i) {
        if (i % 6 == 2 && seen.first_time(i)) throw std::runtime_error("transient");
        return std::to_string(i) + ",";
    };
    auto const joined = farm.map_reduce(flaky, std::plus<>{}, taskfarm::indices(240), std::string("<"));
    if (farm.is_root()) {
        std::string expected = "<";
        for (std::size_t i = 0; i < 240; ++i) expected += std::to_string(i) + ",";
        EXPECT_EQ(joined, expected);
    }
}

// A rank that makes another call than the root (here another function) is a UsageError on every
// rank, not garbage or a hang.
TEST(Handshake, DifferentCallOnAWorkerIsAUsageErrorEverywhere) {
    if (reliab::world_size() < 2) GTEST_SKIP() << "needs a worker";
    taskfarm::Options o;
    o.chunk_size = 4;
    taskfarm::Farm farm(boost::mpi::communicator(), o);
    try {
        if (farm.is_root()) {
            (void)farm.map([](std::size_t i) { return static_cast<double>(i); }, taskfarm::indices(100));
        } else {
            (void)farm.map([](std::size_t i) { return static_cast<int>(i); }, taskfarm::indices(100));
        }
        FAIL() << "expected UsageError";
    } catch (taskfarm::UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("differs from the root's"), std::string::npos) << e.what();
    }
    auto const again = farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(30));
    if (farm.is_root()) {
        EXPECT_EQ(again.at(29), value_of(29));
    }
}

void expect_usage_error(taskfarm::Options const& o, std::string const& names) {
    try {
        taskfarm::Farm farm(boost::mpi::communicator(), o);
        FAIL() << "expected UsageError naming " << names;
    } catch (taskfarm::UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find(names), std::string::npos) << e.what();
    }
}

TEST(BadInput, OptionsOutOfRangeAreNamed) {
    taskfarm::Options o;
    o.retries = -1;
    expect_usage_error(o, "Options.retries");
    o = {};
    o.journal_sync_blocks = 0;
    expect_usage_error(o, "Options.journal_sync_blocks");
    o = {};
    o.journal_sync_seconds = -1;
    expect_usage_error(o, "Options.journal_sync_seconds");
    o = {};
    o.interrupt_grace_seconds = std::numeric_limits<double>::infinity();
    expect_usage_error(o, "Options.interrupt_grace_seconds");
    o = {};
    o.on_error = static_cast<taskfarm::OnError>(9);
    expect_usage_error(o, "Options.on_error");
}

// A signal during a call (here raised by a task on any rank) stops it on every rank with
// Interrupted, which says how far it got; once the farm is gone the program's own handler is back.
std::sig_atomic_t volatile program_handler_calls = 0;
extern "C" void program_handler(int) { program_handler_calls = program_handler_calls + 1; }

struct ProgramHandler {
    struct sigaction before {};
    ProgramHandler() {
        struct sigaction mine {};
        mine.sa_handler = program_handler;
        sigemptyset(&mine.sa_mask);
        sigaction(SIGUSR1, &mine, &before);
        program_handler_calls = 0;
    }
    ~ProgramHandler() { sigaction(SIGUSR1, &before, nullptr); }
};

TEST(Signals, SignalOnAnyRankInterruptsEveryRankAndHandlersAreRestored) {
    ProgramHandler const program;
    {
        taskfarm::Options o;
        o.chunk_size = 3;
        taskfarm::Farm farm(boost::mpi::communicator(), o);
        try {
            (void)farm.map(
                [&](std::size_t i) {
                    if (i == 60) std::raise(SIGUSR1);  // on whichever rank runs task 60
                    if (i >= 60) usleep(200);          // leave time for the stop to spread
                    return value_of(i);
                },
                taskfarm::generate(20000, [](std::size_t i) { return i; }));
            FAIL() << "expected Interrupted";
        } catch (taskfarm::Interrupted const& e) {
            EXPECT_EQ(e.signal(), SIGUSR1);
            EXPECT_EQ(e.task_count(), 20000u);
            EXPECT_LT(e.tasks_done(), 20000u);
            std::string const expected = "interrupted by SIGUSR1: " + std::to_string(e.tasks_done()) +
                                         " of 20000 tasks done";
            EXPECT_EQ(std::string(e.what()).rfind(expected, 0), 0u) << e.what();
        }
        // The interrupt was acted on: the next call runs normally.
        auto const out = farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(50));
        if (farm.is_root()) {
            ASSERT_EQ(out.size(), 50u);
            for (std::size_t i = 0; i < 50; ++i) EXPECT_EQ(out[i], value_of(i));
        }
        EXPECT_EQ(program_handler_calls, 0);  // the farm's handler has it while the farm lives
    }
    struct sigaction now {};
    sigaction(SIGUSR1, nullptr, &now);
    EXPECT_EQ(now.sa_handler, &program_handler);
    std::raise(SIGUSR1);
    EXPECT_EQ(program_handler_calls, 1);
}

// A signal that lands between calls is not lost: the next call throws Interrupted before it runs
// a single task, on every rank, whichever rank caught it.
TEST(Signals, SignalBetweenCallsInterruptsTheNextCallBeforeAnyTask) {
    ProgramHandler const program;
    boost::mpi::communicator world;
    for (int catcher = 0; catcher < world.size(); ++catcher) {
        taskfarm::Farm farm(world, {});
        (void)farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(20));
        if (world.rank() == catcher) std::raise(SIGUSR1);
        std::atomic<int> ran{0};
        try {
            (void)farm.map(
                [&](std::size_t i) {
                    ++ran;
                    return value_of(i);
                },
                taskfarm::indices(1000));
            ADD_FAILURE() << "expected Interrupted (signal on rank " << catcher << ")";
        } catch (taskfarm::Interrupted const& e) {
            EXPECT_EQ(e.signal(), SIGUSR1);
            // The catcher starts nothing; a signal the root holds stops the call before any hand-out.
            if (world.rank() == catcher) {
                EXPECT_EQ(ran.load(), 0) << "catcher " << catcher;
            }
        }
        int const total = boost::mpi::all_reduce(world, ran.load(), std::plus<int>());
        if (catcher == 0) {
            EXPECT_EQ(total, 0);
        }
        EXPECT_EQ(program_handler_calls, 0);
    }
}

// A signal still held when the farm goes is raised again for the program's handler.
TEST(Signals, SignalHeldAtTheFarmsEndGoesToTheProgram) {
    ProgramHandler const program;
    {
        taskfarm::Farm farm(boost::mpi::communicator(), {});
        (void)farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(20));
        std::raise(SIGUSR1);
        EXPECT_EQ(program_handler_calls, 0);
    }
    EXPECT_EQ(program_handler_calls, 1);
}

// handle_signals = false leaves signals to the program (the CLI does this): the call runs on.
TEST(Signals, OptOutLeavesSignalsToTheProgram) {
    struct sigaction mine {};
    mine.sa_handler = program_handler;
    sigemptyset(&mine.sa_mask);
    struct sigaction before {};
    sigaction(SIGUSR1, &mine, &before);
    program_handler_calls = 0;

    taskfarm::Options o;
    o.handle_signals = false;
    taskfarm::Farm farm(boost::mpi::communicator(), o);
    auto const out = farm.map(
        [](std::size_t i) {
            if (i == 10) std::raise(SIGUSR1);
            return value_of(i);
        },
        taskfarm::indices(100));
    if (farm.is_root()) {
        EXPECT_EQ(out.at(99), value_of(99));
    }
    long const handled = boost::mpi::all_reduce(boost::mpi::communicator(), long{program_handler_calls},
                                                std::plus<long>());
    EXPECT_EQ(handled, 1);
    sigaction(SIGUSR1, &before, nullptr);
}

}  // namespace
