// taskfarm::Environment asked for MPI_THREAD_MULTIPLE (what the taskfarm command asks for, so
// that its task threads can look for a halt): it initializes MPI at the level MPI grants and says
// which, and a second Environment, finding MPI up, reports the same level and finalizes nothing.
// Its own main: the level can be chosen only by whoever initializes MPI.
#include <gtest/gtest.h>

#include <mpi.h>

#include <taskfarm/environment.hpp>

namespace {

int query_thread() {
    int level = MPI_THREAD_SINGLE;
    MPI_Query_thread(&level);
    return level;
}

int to_mpi(taskfarm::ThreadLevel level) {
    switch (level) {
        case taskfarm::ThreadLevel::single:
            return MPI_THREAD_SINGLE;
        case taskfarm::ThreadLevel::funneled:
            return MPI_THREAD_FUNNELED;
        case taskfarm::ThreadLevel::serialized:
            return MPI_THREAD_SERIALIZED;
        case taskfarm::ThreadLevel::multiple:
            return MPI_THREAD_MULTIPLE;
    }
    return -1;
}

taskfarm::Environment* outer = nullptr;

TEST(EnvironmentThreads, InitializesAtTheGrantedLevel) {
    ASSERT_NE(outer, nullptr);
    EXPECT_TRUE(outer->initialized_mpi());
    EXPECT_EQ(to_mpi(outer->provided()), query_thread());
    // Open MPI 4.1 (the version this project builds with) grants MULTIPLE on shared memory.
    EXPECT_EQ(outer->provided(), taskfarm::ThreadLevel::multiple);
}

TEST(EnvironmentThreads, ASecondEnvironmentReportsTheLevelAndLeavesMpiAlone) {
    {
        taskfarm::Environment inner(taskfarm::ThreadLevel::funneled);
        EXPECT_FALSE(inner.initialized_mpi());
        EXPECT_EQ(inner.provided(), outer->provided());  // what MPI runs at, not what was asked
    }
    int finalized = 1;
    MPI_Finalized(&finalized);
    EXPECT_EQ(finalized, 0);
}

}  // namespace

int main(int argc, char** argv) {
    taskfarm::Environment env(argc, argv, taskfarm::ThreadLevel::multiple);
    outer = &env;
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
