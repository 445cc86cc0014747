#include "run/stop_state.hpp"

#include <signal.h>
#include <time.h>
#include <unistd.h>

namespace taskfarm::cli {

namespace {

std::int64_t monotonic_ns() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Set before the handlers are installed and never changed after: the handler only reads them.
pid_t launcher_pid = 0;
std::string const* launcher_message = nullptr;

void on_stop_signal(int signal, siginfo_t* info, void*) {
    StopState& stop = process_stop_state();
    bool const first = !stop.interrupted();
    pid_t const sender = info != nullptr && info->si_code == SI_USER ? info->si_pid : 0;
    // The parent-death SIGTERM comes once per thread of the launcher that ends (the kernel sends
    // it when the thread that forked us exits, and again when the process is gone): mpirun's
    // one death must not count as the second signal that kills running commands at once. mpirun
    // itself sends the ranks one SIGTERM when it stops a job, never a second.
    if (launcher_pid != 0 && sender == launcher_pid && signal == SIGTERM && stop.first_sender() == launcher_pid &&
        stop.first_signal() == SIGTERM)
        return;
    stop.signal_received(signal, sender);
    // The launcher's death sends the same signal from the same pid (PR_SET_PDEATHSIG), but by
    // then this process has a new parent, and nobody reads our stderr.
    if (first && launcher_pid != 0 && sender == launcher_pid && (signal == SIGTERM || signal == SIGINT) &&
        launcher_message != nullptr && ::getppid() == launcher_pid) {
        [[maybe_unused]] auto const ignored = ::write(STDERR_FILENO, launcher_message->data(),
                                                      launcher_message->size());
    }
}

}  // namespace

void StopState::signal_received(int signal, pid_t sender) noexcept {
    last_signal_.store(signal);
    std::int64_t expected = 0;
    if (first_signal_ns_.compare_exchange_strong(expected, monotonic_ns())) {
        first_signal_.store(signal);
        first_sender_.store(sender);
    }
    signals_.fetch_add(1);
}

bool StopState::kill_running(double grace) const noexcept {
    if (halt_now_.load()) return true;
    int const n = signals_.load();
    if (n >= 2) return true;
    if (n == 0) return false;
    return static_cast<double>(monotonic_ns() - first_signal_ns_.load()) * 1e-9 >= grace;
}

StopState& process_stop_state() noexcept {
    static StopState state;
    return state;
}

void install_stop_handlers(pid_t launcher, std::string launcher_note) {
    static std::string note;  // lives as long as the handlers
    note = std::move(launcher_note);
    launcher_pid = launcher;
    launcher_message = note.empty() ? nullptr : &note;
    struct sigaction action {};
    action.sa_sigaction = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART | SA_SIGINFO;
    for (int sig : {SIGTERM, SIGINT, SIGUSR1}) ::sigaction(sig, &action, nullptr);
}

}  // namespace taskfarm::cli
