#include "charged_compute.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <mpi.h>

namespace taskfarm::sim {

#ifdef TASKFARM_UNDER_SMPI

namespace {
// Shared by every simulated rank (privatization off): only the running rank ever owes.
int owing_rank = -1;
double owed_seconds = 0;
double message_cost = 0;  // the same for every rank
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

void set_message_cost(double seconds) noexcept { message_cost = seconds; }

void charge_message() noexcept {
    if (message_cost > 0) smpi_execute_benched(message_cost);
}

#else

void charge(int, double seconds) {
    // Spin, as a CPU-bound task would: a sleeping task would leave its core to the other ranks.
    auto const until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
    }
}

void pay_owed() noexcept {}
void set_message_cost(double) noexcept {}
void charge_message() noexcept {}

#endif

}  // namespace taskfarm::sim
