#include "engine/interrupt.hpp"

#include "engine/farm_core.hpp"

#include <atomic>
#include <mutex>

namespace taskfarm::detail {

#ifdef TASKFARM_UNDER_SMPI

// Under SimGrid's SMPI (sim/, TASKFARM_UNDER_SMPI) every simulated rank lives in the one
// simulator process and, with privatization off, shares this file's globals: a real signal is
// for the simulator, not for any one rank, and one rank clearing the latch would clear it for
// all. So the latch is off there: no handlers, never a signal pending (docs/SCALING.md).
void SignalLatch::hold() {}
void SignalLatch::release() {}
int SignalLatch::pending() noexcept { return 0; }
void SignalLatch::clear() noexcept {}

#else

namespace {

constexpr int watched[3] = {SIGTERM, SIGINT, SIGUSR1};

// Lock-free, so touching it from a handler is async-signal-safe. Process-wide on purpose: a
// signal is for the process, whichever farm call (if any) is running when it lands.
std::atomic<int> first_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

std::mutex install_mutex;
int holders = 0;
struct sigaction previous[3];

extern "C" void on_signal(int signal) {
    int expected = 0;
    if (!first_signal.compare_exchange_strong(expected, signal) && signal == SIGINT && expected == SIGINT) {
        // Ctrl-C again: the user does not want to wait for the tasks in flight.
        std::signal(SIGINT, SIG_DFL);
        std::raise(SIGINT);
    }
}

}  // namespace

void SignalLatch::hold() {
    std::lock_guard lock(install_mutex);
    if (holders++ > 0) return;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < 3; ++i) sigaction(watched[i], &action, &previous[i]);
}

void SignalLatch::release() {
    std::lock_guard lock(install_mutex);
    if (holders == 0 || --holders > 0) return;
    for (int i = 0; i < 3; ++i) sigaction(watched[i], &previous[i], nullptr);
    // Nobody acted on it: hand it to whoever handles it now (for SIGTERM by default: the end).
    if (int const signal = first_signal.exchange(0); signal != 0) std::raise(signal);
}

int SignalLatch::pending() noexcept { return first_signal.load(); }

void SignalLatch::clear() noexcept { first_signal.store(0); }

#endif  // TASKFARM_UNDER_SMPI

void SignalHold::hold() {
    if (held_) return;
    held_ = true;
    SignalLatch::hold();
}

SignalHold::~SignalHold() {
    if (held_) SignalLatch::release();
}

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
