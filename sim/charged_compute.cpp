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
EngineCosts costs;  // set alike by every rank

// The running rank's share of a cost: the root pays it whole, a rank of T cores one core's worth.
double running_rank_pays(double root_seconds, double worker_seconds) noexcept {
    int rank = 0;
    PMPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank == costs.root ? root_seconds : worker_seconds / costs.worker_cores;
}
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

void set_engine_costs(EngineCosts const& given) noexcept {
    costs = given;
    if (costs.worker_cores < 1) costs.worker_cores = 1;
}

void charge_message() noexcept {
    double const seconds = running_rank_pays(costs.root_message, costs.worker_message);
    if (seconds > 0) smpi_execute_benched(seconds);
}

void charge_probe() noexcept {
    double const seconds = running_rank_pays(costs.probe, costs.probe);
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
void set_engine_costs(EngineCosts const&) noexcept {}
void charge_message() noexcept {}
void charge_probe() noexcept {}

#endif

}  // namespace taskfarm::sim
