#include "run/stop_state.hpp"

#include <signal.h>
#include <time.h>

namespace taskfarm::cli {

namespace {

std::int64_t monotonic_ns() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void on_stop_signal(int signal) { process_stop_state().signal_received(signal); }

}  // namespace

void StopState::signal_received(int signal) noexcept {
    last_signal_.store(signal);
    std::int64_t expected = 0;
    first_signal_ns_.compare_exchange_strong(expected, monotonic_ns());
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

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int sig : {SIGTERM, SIGINT, SIGUSR1}) ::sigaction(sig, &action, nullptr);
}

}  // namespace taskfarm::cli
