// A program that owns MPI: it calls MPI_Init_thread and MPI_Finalize itself, and builds its own
// communicators. taskfarm neither initializes nor finalizes MPI here, and leaves the program's
// communicators working after its farms and executors are gone.
#include <gtest/gtest.h>

#include <mpi.h>

#include <cstdint>
#include <cstdio>

#include <boost/mpi/communicator.hpp>

#include <taskfarm/executor.hpp>
#include <taskfarm/taskfarm.hpp>

namespace {

std::int64_t cube(std::int64_t x) { return x * x * x; }
TASKFARM_TASK(cube);

bool mpi_finalized() {
    int flag = 0;
    MPI_Finalized(&flag);
    return flag != 0;
}

TEST(OwnMpiInit, EnvironmentLeavesAnInitializedMpiAlone) {
    {
        taskfarm::Environment env;
        EXPECT_FALSE(env.initialized_mpi());
    }
    EXPECT_FALSE(mpi_finalized());
}

TEST(OwnMpiInit, FarmOnTheProgramsOwnCommunicator) {
    // A communicator made with plain MPI, reversed rank order, handed to taskfarm.
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm reversed = MPI_COMM_NULL;
    MPI_Comm_split(MPI_COMM_WORLD, 0, size - rank, &reversed);
    {
        boost::mpi::communicator comm(reversed, boost::mpi::comm_attach);
        taskfarm::Farm farm(comm);
        EXPECT_EQ(farm.is_root(), rank == size - 1);  // root 0 of the reversed communicator
        auto const out = farm.map([](std::size_t i) { return cube(static_cast<std::int64_t>(i)); },
                                  taskfarm::indices(400));
        if (farm.is_root()) {
            ASSERT_EQ(out.size(), 400u);
            for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], cube(static_cast<std::int64_t>(i)));
        }
    }
    // The program's communicator still works after the farm (and its duplicate) are gone.
    int sum = 0;
    MPI_Allreduce(&rank, &sum, 1, MPI_INT, MPI_SUM, reversed);
    EXPECT_EQ(sum, size * (size - 1) / 2);
    MPI_Comm_free(&reversed);
}

TEST(OwnMpiInit, ExecutorOnWorld) {
    {
        taskfarm::Executor ex(boost::mpi::communicator{});
        if (ex.is_root()) {
            EXPECT_EQ(ex.submit(cube, 7).get(), 343);
        }
    }
    EXPECT_FALSE(mpi_finalized());
}

}  // namespace

int main(int argc, char** argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    ::testing::InitGoogleTest(&argc, argv);
    int failed = RUN_ALL_TESTS();
    // taskfarm must have left MPI running for the program to finish with.
    if (mpi_finalized()) {
        std::fprintf(stderr, "MPI was finalized behind the program's back\n");
        return 1;
    }
    int any_failed = 0;
    MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return any_failed;
}
