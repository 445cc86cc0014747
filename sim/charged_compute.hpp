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

/// The CPU seconds every message sent or received costs its rank (the engine's work around it,
/// measured on a real run: docs/SCALING.md): `root_seconds` on rank `root` of MPI_COMM_WORLD,
/// `worker_seconds` on the others. Every rank sets the same (the ranks share these globals).
/// 0: none charged, as in the real build.
void set_message_costs(int root, double root_seconds, double worker_seconds) noexcept;
/// Real build: the CPU seconds this rank's tasks really took (0 under SMPI).
double task_cpu_seconds() noexcept;
/// Charges the running rank one message's cost (matched_probe.cpp calls it around MPI).
void charge_message() noexcept;

}  // namespace taskfarm::sim
