// Every rank leaves the executor's scope: after normal use, after an explicit shutdown, when the
// root unwinds from an exception (queued tasks are cancelled: CancelledError), and with several executors in turn.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/mpi/collectives/all_reduce.hpp>
#include <boost/mpi/communicator.hpp>

#include <taskfarm/executor.hpp>
#include <taskfarm/taskfarm.hpp>

#include "executor_test_tasks.hpp"

using namespace executor_tests;

TASKFARM_TASK(square);

namespace {

// Every rank reaching this line is the proof that every rank returned from the executor.
int ranks_that_returned() {
    boost::mpi::communicator world;
    return boost::mpi::all_reduce(world, 1, std::plus<>{});
}

TEST(ExecutorShutdown, EveryRankReturnsFromTheScope) {
    {
        taskfarm::Executor ex;
        if (ex.is_root()) {
            EXPECT_EQ(ex.submit(square, 4).get(), 16);
        }
    }
    EXPECT_EQ(ranks_that_returned(), boost::mpi::communicator().size());
}

TEST(ExecutorShutdown, AnIdleExecutorShutsDown) {
    { taskfarm::Executor ex; }
    EXPECT_EQ(ranks_that_returned(), boost::mpi::communicator().size());
}

TEST(ExecutorShutdown, ExplicitShutdownRunsEverythingThenRefusesWork) {
    std::vector<taskfarm::Future<std::int64_t>> futures;
    {
        taskfarm::Executor ex;
        if (ex.is_root()) {
            for (std::int64_t x = 0; x < 50; ++x) futures.push_back(ex.submit(square, x));
            ex.shutdown();
            for (auto const& f : futures) EXPECT_TRUE(f.state().done());
            EXPECT_THROW((void)ex.submit(square, 1), taskfarm::UsageError);
            ex.shutdown();  // idempotent
        }
    }
    for (std::size_t x = 0; x < futures.size(); ++x)
        EXPECT_EQ(futures[x].get(), static_cast<std::int64_t>(x * x));  // results outlive the executor
    EXPECT_EQ(ranks_that_returned(), boost::mpi::communicator().size());
}

TEST(ExecutorShutdown, RootExceptionCancelsQueuedTasksAndReleasesWorkers) {
    std::vector<taskfarm::Future<std::int64_t>> futures;
    bool caught = false;
    std::size_t handed_out_at_most = 0;
    try {
        taskfarm::Executor ex;
        handed_out_at_most = static_cast<std::size_t>(ex.size() * ex.threads() + ex.size() - 1);
        if (ex.is_root()) {
            for (std::int64_t x = 0; x < 500; ++x) futures.push_back(ex.submit(square, x));
            throw std::runtime_error("driver gave up");
        }
    } catch (std::runtime_error const& e) {
        caught = std::string(e.what()) == "driver gave up";
    }
    if (!futures.empty()) {
        EXPECT_TRUE(caught);
        std::size_t cancelled = 0;
        for (std::size_t x = 0; x < futures.size(); ++x) {
            ASSERT_TRUE(futures[x].state().done()) << x;
            try {
                EXPECT_EQ(futures[x].get(), static_cast<std::int64_t>(x * x));
            } catch (taskfarm::CancelledError const& e) {
                EXPECT_TRUE(futures[x].cancelled());
                EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos);
                ++cancelled;
            }
        }
        // Only what was out on a rank's threads (and a worker's prefetch) ran: at most one task
        // per thread of each rank, plus one per worker (ExecutorOptions.prefetch).
        EXPECT_GE(cancelled, futures.size() - handed_out_at_most);
    }
    EXPECT_EQ(ranks_that_returned(), boost::mpi::communicator().size());
}

TEST(ExecutorShutdown, ExecutorsInTurnAndOnAnotherRoot) {
    boost::mpi::communicator world;
    for (int round = 0; round < 3; ++round) {
        taskfarm::ExecutorOptions options;
        options.root = world.size() - 1;  // the last rank drives
        taskfarm::Executor ex(world, options);
        EXPECT_EQ(ex.is_root(), world.rank() == world.size() - 1);
        if (ex.is_root()) {
            EXPECT_EQ(ex.map(square, std::vector<std::int64_t>{1, 2, round}).back(), round * round);
        }
    }
    EXPECT_EQ(ranks_that_returned(), world.size());
}

TEST(ExecutorShutdown, WorkersCannotSubmit) {
    taskfarm::Executor ex;
    // Workers get here only after the root shut down; submitting there is a misuse.
    if (!ex.is_root()) {
        EXPECT_THROW((void)ex.submit(square, 1), taskfarm::UsageError);
    }
}

TEST(ExecutorShutdown, BadOptionsAreUsageErrors) {
    boost::mpi::communicator world;
    taskfarm::ExecutorOptions options;
    options.root = world.size();
    EXPECT_THROW(taskfarm::Executor(world, options), taskfarm::UsageError);
}

}  // namespace
