/// @file
/// @brief The smallest MPI program: the baseline for the cost of a whole `mpirun` of the demo.
#include <mpi.h>

#include <cstdio>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    int size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    std::printf("hello from rank %d of %d\n", rank, size);
    MPI_Finalize();
    return 0;
}
