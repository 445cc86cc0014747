/// @file
/// @brief Stopping a run early: on a signal (SIGTERM, SIGINT, SIGUSR1) or after the first failure
/// with --halt-on-error. The library cannot cancel a call, so the CLI stops itself: the task
/// function checks this state before starting a command and while it runs.
///
/// A twin of the library's SignalLatch (src/engine/interrupt.hpp) that must stay: the latch keeps
/// the first signal only and ends the process on a second SIGINT, while the command needs the
/// count (a second signal kills the running commands, and the run still logs what finished), the
/// time of the first (the --grace clock) and who sent it (mpirun, whose own exit status then
/// differs; see install_stop_handlers).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace taskfarm::cli {

class StopState {
public:
    /// A stop signal arrived (callable from a signal handler: lock-free atomics and clock_gettime only).
    void signal_received(int signal, pid_t sender = 0) noexcept;
    /// --halt's condition holds: start no new task; with `kill_running_tasks` (--halt now) also
    /// kill the running ones at once.
    void halt(bool kill_running_tasks = false) noexcept {
        if (kill_running_tasks) halt_now_.store(true);
        halted_.store(true);
    }

    /// Whether new tasks must not start.
    [[nodiscard]] bool stopping() const noexcept { return halted_.load() || signals_.load() > 0; }
    /// Whether a signal asked for the stop (the run is then "interrupted" and resumable).
    [[nodiscard]] bool interrupted() const noexcept { return signals_.load() > 0; }
    [[nodiscard]] bool halted() const noexcept { return halted_.load(); }
    [[nodiscard]] int last_signal() const noexcept { return last_signal_.load(); }
    /// The first signal, and the process that sent it (0: none, or not known).
    [[nodiscard]] int first_signal() const noexcept { return first_signal_.load(); }
    [[nodiscard]] pid_t first_sender() const noexcept { return first_sender_.load(); }

    /// Whether running commands must be killed now: --halt now holds, a second signal came, or
    /// `grace` seconds passed since the first.
    [[nodiscard]] bool kill_running(double grace) const noexcept;

private:
    std::atomic<int> signals_{0};
    std::atomic<int> last_signal_{0};
    std::atomic<int> first_signal_{0};
    std::atomic<pid_t> first_sender_{0};
    std::atomic<bool> halted_{false};
    std::atomic<bool> halt_now_{false};
    std::atomic<std::int64_t> first_signal_ns_{0};  // CLOCK_MONOTONIC
};

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<std::int64_t>::is_always_lock_free &&
                  std::atomic<pid_t>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

/// The process's stop state, the one the signal handlers set.
[[nodiscard]] StopState& process_stop_state() noexcept;

/// Installs handlers for SIGTERM, SIGINT and SIGUSR1 that record the signal (and its sender) in
/// process_stop_state(). Under mpirun, SIGUSR1 sent to mpirun reaches every rank (Open MPI
/// forwards it). SIGTERM and SIGINT to mpirun make Open MPI 4.1 set its own exit status to 1
/// (before it stops the job, so nothing a rank does can change it), send SIGTERM to the ranks and
/// SIGKILL one second later: when the first SIGTERM or SIGINT comes from `launcher` (Open MPI's
/// mpirun or orted; 0: none), the handler writes `launcher_note` (may be empty) to stderr at once,
/// the only moment it is sure to reach the user. Repeated SIGTERMs from `launcher` count as one
/// (its death sends one per thread). Under srun, every rank gets the signal.
void install_stop_handlers(pid_t launcher = 0, std::string launcher_note = {});

}  // namespace taskfarm::cli
