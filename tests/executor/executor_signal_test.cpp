// Issue 11: the Executor stops on SIGTERM like Farm (the same SignalLatch): the root's next
// executor call throws Interrupted, every open future ends with it, and the workers return from
// their constructors normally once their running tasks end. A signal caught by a worker stops
// the executor the same way.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <string>
#include <vector>

#include <boost/mpi/collectives/all_reduce.hpp>
#include <boost/mpi/communicator.hpp>

#include <taskfarm/executor.hpp>
#include <taskfarm/taskfarm.hpp>

#include "executor_test_tasks.hpp"

using namespace executor_tests;

TASKFARM_TASK(gated);
TASKFARM_TASK(square);

namespace {

int raises_sigterm(int x) {
    // The latch records it on whichever rank runs this; once per process, so that no raise comes
    // after the executor acted on the first.
    static std::atomic<bool> raised{false};
    if (!raised.exchange(true)) std::raise(SIGTERM);
    return x;
}
TASKFARM_TASK(raises_sigterm);

int ranks_that_returned() {
    boost::mpi::communicator world;
    return boost::mpi::all_reduce(world, 1, std::plus<>{});
}

TEST(ExecutorSignal, SigtermOnTheRootThrowsInterruptedAndReleasesTheWorkers) {
    {
        taskfarm::Executor ex;
        if (ex.is_root()) {
            std::string const dir = make_gate_dir("sigterm_root");
            auto held = ex.submit(gated, dir, 0);
            ASSERT_TRUE(started(dir, 1));
            std::raise(SIGTERM);
            try {
                (void)held.get();
                ADD_FAILURE() << "no Interrupted";
            } catch (taskfarm::Interrupted const& e) {
                EXPECT_EQ(e.signal(), SIGTERM);
                EXPECT_NE(std::string(e.what()).find("SIGTERM"), std::string::npos) << e.what();
            }
            EXPECT_TRUE(held.done());
            EXPECT_THROW((void)held.get(), taskfarm::Interrupted);
            EXPECT_THROW((void)ex.submit(gated, dir, 1), taskfarm::UsageError);
            open_gate(dir, 0);  // the running task ends; its worker (or the root's thread) returns
        }
    }
    EXPECT_EQ(ranks_that_returned(), boost::mpi::communicator().size());
}

TEST(ExecutorSignal, SigtermOnAnyRankStopsTheExecutor) {
    {
        taskfarm::ExecutorOptions options;
        options.threads = 2;  // the held task and a raiser run at once on any rank count
        taskfarm::Executor ex(boost::mpi::communicator(), options);
        if (ex.is_root()) {
            std::string const dir = make_gate_dir("sigterm_any");
            auto held = ex.submit(gated, dir, 0);
            std::vector<taskfarm::Future<int>> raisers;
            for (int x = 0; x < ex.size() * ex.threads(); ++x) raisers.push_back(ex.submit(raises_sigterm, x));
            try {
                (void)held.get();  // the gate stays shut: only the signal can end this wait
                ADD_FAILURE() << "no Interrupted";
            } catch (taskfarm::Interrupted const& e) {
                EXPECT_EQ(e.signal(), SIGTERM);
            }
            open_gate(dir, 0);
        }
    }
    // Workers that caught it return normally: the executor acted on the signal.
    EXPECT_EQ(ranks_that_returned(), boost::mpi::communicator().size());
}

TEST(ExecutorSignal, TheNextExecutorRunsNormally) {
    taskfarm::Executor ex;
    if (ex.is_root()) {
        EXPECT_EQ(ex.submit(square, 6).get(), 36);
    }
}

}  // namespace
