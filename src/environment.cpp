// MPI start and end: with the transport (src/engine/transport*), the only place that calls MPI.
#include <mpi.h>

#include <string>

#include <taskfarm/environment.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm {

namespace {

bool mpi_initialized() {
    int flag = 0;
    if (MPI_Initialized(&flag) != MPI_SUCCESS) throw Error("taskfarm: MPI_Initialized failed");
    return flag != 0;
}

int to_mpi(ThreadLevel level) {
    switch (level) {
        case ThreadLevel::single:
            return MPI_THREAD_SINGLE;
        case ThreadLevel::funneled:
            return MPI_THREAD_FUNNELED;
        case ThreadLevel::serialized:
            return MPI_THREAD_SERIALIZED;
        case ThreadLevel::multiple:
            return MPI_THREAD_MULTIPLE;
    }
    return MPI_THREAD_FUNNELED;
}

ThreadLevel from_mpi(int level) {
    if (level >= MPI_THREAD_MULTIPLE) return ThreadLevel::multiple;
    if (level >= MPI_THREAD_SERIALIZED) return ThreadLevel::serialized;
    if (level >= MPI_THREAD_FUNNELED) return ThreadLevel::funneled;
    return ThreadLevel::single;
}

ThreadLevel queried_level() {
    int level = MPI_THREAD_SINGLE;
    if (MPI_Query_thread(&level) != MPI_SUCCESS) throw Error("taskfarm: MPI_Query_thread failed");
    return from_mpi(level);
}

}  // namespace

// FUNNELED by default: tasks run on OpenMP threads, but only the main thread ever calls MPI.
Environment::Environment(int& argc, char**& argv) { start(&argc, &argv, ThreadLevel::funneled); }

Environment::Environment(int& argc, char**& argv, ThreadLevel wanted) { start(&argc, &argv, wanted); }

Environment::Environment() { start(nullptr, nullptr, ThreadLevel::funneled); }

Environment::Environment(ThreadLevel wanted) { start(nullptr, nullptr, wanted); }

void Environment::start(int* argc, char*** argv, ThreadLevel wanted) {
    if (mpi_initialized()) {
        provided_ = queried_level();
        return;
    }
    if (wanted < ThreadLevel::funneled) wanted = ThreadLevel::funneled;
    int provided = 0;
    if (int const rc = MPI_Init_thread(argc, argv, to_mpi(wanted), &provided); rc != MPI_SUCCESS)
        throw Error("taskfarm: MPI_Init_thread failed (error " + std::to_string(rc) + ")");
    initialized_ = true;
    provided_ = from_mpi(provided);
}

Environment::~Environment() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (initialized_ && finalized == 0) MPI_Finalize();
}

}  // namespace taskfarm
