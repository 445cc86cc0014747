// Misuse ends with a message, never a hang (issue 9): a call that some rank never joins, on
// either side, and a farm call made from inside a task or a callback of another call.
#include <gtest/gtest.h>

#include <string>

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>

#include <taskfarm/taskfarm.hpp>

namespace {

double value_of(std::size_t i) { return 0.5 * static_cast<double>(i) + 1.0; }

taskfarm::Options quick_join_timeout() {
    taskfarm::Options o;
    o.join_timeout_seconds = 1;
    return o;
}

// The last rank skips the call (as if it had reached the end of main): every rank that joined
// ends with a UsageError naming it, after the join timeout.
TEST(Misuse, CallThatARankSkipsEndsOnEveryRankThatJoined) {
    boost::mpi::communicator world;
    if (world.size() < 2) GTEST_SKIP() << "needs a rank to skip the call";
    int const skipper = world.size() - 1;
    {
        taskfarm::Farm farm(world, quick_join_timeout());
        if (world.rank() != skipper) {
            try {
                (void)farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(1000));
                ADD_FAILURE() << "expected UsageError";
            } catch (taskfarm::UsageError const& e) {
                std::string const expected = "rank " + std::to_string(skipper) +
                                             " did not join this map call within 1 s";
                EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
                EXPECT_NE(std::string(e.what()).find("collective"), std::string::npos) << e.what();
            }
        }
    }
    world.barrier();
}

// The root skips the call: every worker that made it ends with a UsageError naming the root.
TEST(Misuse, CallThatTheRootSkipsEndsOnEveryWorker) {
    boost::mpi::communicator world;
    if (world.size() < 2) GTEST_SKIP() << "needs a worker";
    {
        taskfarm::Farm farm(world, quick_join_timeout());
        if (!farm.is_root()) {
            try {
                (void)farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(10));
                ADD_FAILURE() << "expected UsageError";
            } catch (taskfarm::UsageError const& e) {
                EXPECT_NE(std::string(e.what()).find("for the root, rank 0, to join this map call"), std::string::npos)
                    << e.what();
            }
        }
    }
    world.barrier();
}

// A farm call from inside a task is refused at once with a UsageError; the outer call reports it
// as that task's failure, on every rank, and the farm stays usable.
TEST(Misuse, FarmCallFromInsideATaskIsRefused) {
    boost::mpi::communicator world;
    taskfarm::Farm farm(world, {});
    try {
        (void)farm.map(
            [&](std::size_t i) {
                if (i == 3)
                    return farm.map([](std::size_t j) { return value_of(j); }, taskfarm::indices(4)).size() + 0.0;
                return value_of(i);
            },
            taskfarm::indices(8));
        ADD_FAILURE() << "expected TaskError";
    } catch (taskfarm::TaskError const& e) {
        ASSERT_EQ(e.failures().size(), 1u);
        EXPECT_EQ(e.failures().front().index, 3u);
        EXPECT_NE(e.failures().front().message.find("made from inside a running task"), std::string::npos)
            << e.failures().front().message;
    }
    auto const out = farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(8));
    if (farm.is_root()) {
        EXPECT_EQ(out.at(7), value_of(7));
    }
}

// A call from a for_each callback (on the root, during the call) is refused too: the outer call
// ends with that UsageError on every rank.
TEST(Misuse, FarmCallFromACallbackIsRefused) {
    boost::mpi::communicator world;
    taskfarm::Farm farm(world, {});
    try {
        farm.for_each([](std::size_t i) { return value_of(i); }, taskfarm::indices(8),
                      [&](std::size_t, double) {
                          (void)farm.map([](std::size_t j) { return value_of(j); }, taskfarm::indices(2));
                      });
        ADD_FAILURE() << "expected UsageError";
    } catch (taskfarm::UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("while another call of the same farm runs"), std::string::npos)
            << e.what();
    }
}

}  // namespace
