#include <mpi.h>

#include <taskfarm/environment.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm {

namespace {
bool mpi_initialized() {
    int flag = 0;
    MPI_Initialized(&flag);
    return flag != 0;
}
}  // namespace

Environment::Environment(int& argc, char**& argv) {
    if (mpi_initialized()) return;
    int provided = 0;
    // FUNNELED: tasks run on OpenMP threads, but only the main thread ever calls MPI.
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        throw Error("taskfarm: MPI_Init_thread failed");
    initialized_ = true;
}

Environment::Environment() {
    if (mpi_initialized()) return;
    int provided = 0;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        throw Error("taskfarm: MPI_Init_thread failed");
    initialized_ = true;
}

Environment::~Environment() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (initialized_ && finalized == 0) MPI_Finalize();
}

}  // namespace taskfarm
