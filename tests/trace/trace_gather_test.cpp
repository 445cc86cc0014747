// Under mpirun: every rank's trace reaches the root whole, and the root puts it on its own clock.
// Ranks start their recorders ~150 ms apart; on one host the steady clock is shared, so the true
// offsets are known and the measured ones must match them to well under that spacing.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>

#include <string>

#include <taskfarm/errors.hpp>

#include "engine/transport_collectives.hpp"
#include "trace/trace_gather.hpp"

namespace taskfarm::detail {
namespace {

using Clock = std::chrono::steady_clock;

TEST(TraceGather, BringsEveryRanksEventsToTheRootOnItsClock) {
    boost::mpi::communicator world;
    int const rank = world.rank();
    world.barrier();
    std::this_thread::sleep_for(std::chrono::milliseconds(150 * rank));
    auto const started = Clock::now();
    TraceRecorder recorder(rank, 2, true);
    // Rank r ran tasks [10r, 10r + 10) on thread 1, from 1 s to 2 s on its own clock.
    recorder.block(1, 1.0, 2.0, static_cast<std::uint64_t>(10 * rank), 10);
    recorder.sent(100u + static_cast<std::size_t>(rank));

    CallTrace header;
    header.call = 2;
    header.kind = "map";
    header.tasks = static_cast<std::uint64_t>(10 * world.size());
    auto const gathered = gather_call_trace(MPI_Comm(world), 0, recorder, header);

    // Where every rank's clock started, on the shared steady clock (one host).
    double const start = std::chrono::duration<double>(started.time_since_epoch()).count();
    std::vector<double> starts;
    boost::mpi::gather(world, start, starts, 0);
    if (rank != 0) {
        EXPECT_FALSE(gathered.has_value());
        return;
    }
    ASSERT_TRUE(gathered.has_value());
    CallTrace const& call = *gathered;
    EXPECT_EQ(call.call, 2u);
    EXPECT_EQ(call.kind, "map");
    EXPECT_GT(call.wall_seconds, 0.0);
    ASSERT_EQ(call.ranks.size(), static_cast<std::size_t>(world.size()));
    for (int r = 0; r < world.size(); ++r) {
        RankTrace const& t = call.ranks[static_cast<std::size_t>(r)];
        EXPECT_EQ(t.rank, r);
        EXPECT_EQ(t.threads, 2);
        EXPECT_EQ(t.bytes_sent, 100u + static_cast<std::size_t>(r));
        ASSERT_EQ(t.events.size(), 1u);
        EXPECT_EQ(t.events[0].first, static_cast<std::uint64_t>(10 * r));
        // The block ran 1 s after rank r's start, which was starts[r] - starts[0] after the root's.
        double const expected = 1.0 + (starts[static_cast<std::size_t>(r)] - starts[0]);
        EXPECT_NEAR(t.events[0].start, expected, 0.05) << "rank " << r;
        EXPECT_NEAR(t.events[0].end - t.events[0].start, 1.0, 1e-12);
    }
}

// The gather's collectives are checked (engine/transport_collectives): a failing MPI call throws
// taskfarm::Error naming the routine and MPI's own text, instead of going on with garbage.
TEST(TraceGather, AFailingCollectiveThrowsErrorNamingTheMpiCall) {
    boost::mpi::communicator world;
    boost::mpi::communicator const dup(world, boost::mpi::comm_duplicate);
    MPI_Comm_set_errhandler(MPI_Comm(dup), MPI_ERRORS_RETURN);  // else MPI aborts first
    try {
        (void)gather_int(MPI_Comm(dup), world.size(), 1);  // no such root: every rank fails alike
        ADD_FAILURE() << "a gather to a root outside the communicator returned";
    } catch (taskfarm::Error const& e) {
        std::string const what = e.what();
        EXPECT_NE(what.find("MPI_Gather failed: "), std::string::npos) << what;
        EXPECT_GT(what.size(), std::string("taskfarm: MPI_Gather failed: ").size()) << "no MPI error text";
    }
    try {
        check_mpi(MPI_ERR_COUNT, "MPI_Gatherv");
        ADD_FAILURE() << "check_mpi accepted an error code";
    } catch (taskfarm::Error const& e) {
        EXPECT_EQ(std::string(e.what()).rfind("taskfarm: MPI_Gatherv failed: ", 0), 0u) << e.what();
    }
    EXPECT_NO_THROW(check_mpi(MPI_SUCCESS, "MPI_Barrier"));
}

}  // namespace
}  // namespace taskfarm::detail
