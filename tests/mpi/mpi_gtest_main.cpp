#include <gtest/gtest.h>

#include <boost/mpi/collectives/all_reduce.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/operations.hpp>

#include <taskfarm/environment.hpp>

int main(int argc, char** argv) {
    taskfarm::Environment env(argc, argv);
    boost::mpi::communicator world;
    ::testing::InitGoogleTest(&argc, argv);
    if (world.rank() != 0) {
        // Other ranks print their failures only.
        auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
        GTEST_FLAG_SET(brief, true);
        (void)listeners;
    }
    int const failed = RUN_ALL_TESTS();
    return boost::mpi::all_reduce(world, failed, boost::mpi::maximum<int>());
}
