/* Smallest useful MPI job for the SLURM harness test: every rank reports its rank, the world
 * size, an allreduce result (proves the ranks really talk to each other, not just started) and
 * the OpenMP thread count it inherited from the job. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 0, rank_sum = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Allreduce(&rank, &rank_sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    const char* threads = getenv("OMP_NUM_THREADS");
    printf("hello rank=%d size=%d rank_sum=%d omp=%s\n", rank, size, rank_sum, threads ? threads : "unset");
    MPI_Finalize();
    return 0;
}
