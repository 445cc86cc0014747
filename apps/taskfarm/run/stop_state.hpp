/// @file
/// @brief Stopping a run early: on a signal (SIGTERM, SIGINT, SIGUSR1) or after the first failure
/// with --halt-on-error. The library cannot cancel a call, so the CLI stops itself: the task
/// function checks this state before starting a command and while it runs.
#pragma once

#include <atomic>
#include <cstdint>

namespace taskfarm::cli {

class StopState {
public:
    /// A stop signal arrived (callable from a signal handler: lock-free atomics and clock_gettime only).
    void signal_received(int signal) noexcept;
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

    /// Whether running commands must be killed now: --halt now holds, a second signal came, or
    /// `grace` seconds passed since the first.
    [[nodiscard]] bool kill_running(double grace) const noexcept;

private:
    std::atomic<int> signals_{0};
    std::atomic<int> last_signal_{0};
    std::atomic<bool> halted_{false};
    std::atomic<bool> halt_now_{false};
    std::atomic<std::int64_t> first_signal_ns_{0};  // CLOCK_MONOTONIC
};

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<std::int64_t>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

/// The process's stop state, the one the signal handlers set.
[[nodiscard]] StopState& process_stop_state() noexcept;

/// Installs handlers for SIGTERM, SIGINT and SIGUSR1 that record the signal in
/// process_stop_state(). Under mpirun, SIGUSR1 sent to mpirun reaches every rank (Open MPI
/// forwards it); SIGTERM and SIGINT to mpirun end the ranks soon after, so use SIGUSR1 for a
/// clean stop. Under srun, every rank gets the signal.
void install_stop_handlers();

}  // namespace taskfarm::cli
