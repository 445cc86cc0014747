#include "charged_compute.hpp"

#include <time.h>

#include <cstdio>
#include <cstdlib>

#include <mpi.h>

namespace taskfarm::sim {

#ifdef TASKFARM_UNDER_SMPI

namespace {
// Shared by every simulated rank (privatization off): only the running rank ever owes.
int owing_rank = -1;
double owed_seconds = 0;
// Set alike by every rank: the root's cost and the workers' (two calibrated figures).
int costed_root = 0;
double root_message_cost = 0;
double worker_message_cost = 0;
}  // namespace

void charge(int rank, double seconds) {
    if (owed_seconds > 0 && owing_rank != rank) {
        std::fprintf(stderr, "taskfarm_simulate: rank %d still owes %g s when rank %d runs a task\n", owing_rank,
                     owed_seconds, rank);
        std::abort();
    }
    owing_rank = rank;
    owed_seconds += seconds;
}

void pay_owed() noexcept {
    if (owed_seconds <= 0) return;
    double const seconds = owed_seconds;
    owed_seconds = 0;
    owing_rank = -1;
    smpi_execute_benched(seconds);  // ends the host-CPU benchmark, charges `seconds`, restarts it
}

void set_message_costs(int root, double root_seconds, double worker_seconds) noexcept {
    costed_root = root;
    root_message_cost = root_seconds;
    worker_message_cost = worker_seconds;
}

void charge_message() noexcept {
    int rank = 0;
    PMPI_Comm_rank(MPI_COMM_WORLD, &rank);
    double const seconds = rank == costed_root ? root_message_cost : worker_message_cost;
    if (seconds > 0) smpi_execute_benched(seconds);
}

double task_cpu_seconds() noexcept { return 0; }

#else

namespace {
double spun_seconds = 0;  // one rank per process here
}  // namespace

void charge(int, double seconds) {
    // Spin until the thread has used `seconds` of CPU, as a CPU-bound task does: on a shared
    // machine a task then costs the same CPU however often the rank is descheduled.
    auto cpu_now = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
    };
    double const start = cpu_now();
    double now = start;
    while (now < start + seconds) now = cpu_now();
    spun_seconds += now - start;  // a little more than asked: the last clock read overshoots
}

double task_cpu_seconds() noexcept { return spun_seconds; }

void pay_owed() noexcept {}
void set_message_costs(int, double, double) noexcept {}
void charge_message() noexcept {}

#endif

}  // namespace taskfarm::sim
