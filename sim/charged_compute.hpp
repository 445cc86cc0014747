// Simulated task time. A task of the simulation does no work: it owes its duration, and the
// owed time is charged to the simulated host (smpi_execute_benched) at the rank's next clock read
// or MPI call, which the engine makes at the end of every sub-range of a block. Charging once
// per sub-range, not once per task, keeps 10 us tasks on 10^4 ranks simulable.
// Under SMPI every simulated rank runs in one OS thread and they switch only inside MPI (or
// clock and sleep) calls, so one owed account is enough: whoever owes is the running rank.
// In the real build (calibration runs under mpirun) a task spins for its duration of CPU time.
#pragma once

namespace taskfarm::sim {

/// `seconds` of work for the calling rank (`rank`, to catch an account left unpaid by another).
void charge(int rank, double seconds);

/// Pays what the running rank owes: simulated compute under SMPI, nothing in the real build.
void pay_owed() noexcept;

/// What the engine's own work costs a simulated rank (docs/SCALING.md), set alike by every rank
/// (the ranks share these globals); all 0 in the real build.
struct EngineCosts {
    int root = 0;               ///< rank of MPI_COMM_WORLD that is the farm's root
    double root_message = 0;    ///< CPU seconds per message sent or received, on the root
    double worker_message = 0;  ///< the same on every other rank
    double probe = 0;           ///< per MPI_Iprobe, MPI_Improbe, MPI_Test or MPI_Testsome
    int worker_cores = 1;       ///< the cores each rank but the root stands for (--threads)
};
/// A rank that stands for T cores runs its engine on one of them while the others compute, so
/// it loses one core's time to a message or a probe, not T cores': the workers' costs are
/// charged divided by `worker_cores` (the root serves on its one core and pays in full).
void set_engine_costs(EngineCosts const& costs) noexcept;
/// Real build: the CPU seconds this rank's tasks really took (0 under SMPI).
double task_cpu_seconds() noexcept;
/// Charges the running rank one message's cost (matched_probe.cpp calls it around MPI).
void charge_message() noexcept;
/// Charges the running rank one probe's or test's cost (matched_probe.cpp).
void charge_probe() noexcept;

}  // namespace taskfarm::sim
