#include "engine/interrupt.hpp"

#include <atomic>

namespace taskfarm::detail {

namespace {

constexpr int watched[3] = {SIGTERM, SIGINT, SIGUSR1};

// Lock-free, so touching it from a handler is async-signal-safe.
std::atomic<int> first_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_signal(int signal) {
    int expected = 0;
    if (!first_signal.compare_exchange_strong(expected, signal) && signal == SIGINT && expected == SIGINT) {
        // Ctrl-C again: the user does not want to wait for the tasks in flight.
        std::signal(SIGINT, SIG_DFL);
        std::raise(SIGINT);
    }
}

}  // namespace

SignalWatch::SignalWatch(bool enabled) : enabled_(enabled), previous_{} {
    first_signal.store(0);
    if (!enabled_) return;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < 3; ++i) sigaction(watched[i], &action, &previous_[i]);
}

SignalWatch::~SignalWatch() {
    if (!enabled_) return;
    for (int i = 0; i < 3; ++i) sigaction(watched[i], &previous_[i], nullptr);
}

int SignalWatch::caught() noexcept { return first_signal.load(); }

std::string signal_name(int signal) {
    switch (signal) {
        case SIGTERM:
            return "SIGTERM";
        case SIGINT:
            return "SIGINT";
        case SIGUSR1:
            return "SIGUSR1";
        default:
            return "signal " + std::to_string(signal);
    }
}

}  // namespace taskfarm::detail
