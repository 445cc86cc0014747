// Stop signals (SIGTERM, SIGINT, SIGUSR1), latched per process. While any Farm that handles
// signals is alive, their handlers only record the first signal (all a handler may safely do);
// the signal stays pending until a farm call acts on it, so none is lost: one that lands during a
// call stops that call cleanly, one that lands between calls makes the next call throw
// Interrupted before it runs a task. When the last such Farm goes, the previous handlers come
// back, and a signal still pending is raised again for them (the program, or the default, then
// does what it would have done). A second SIGINT ends the process the default way at once:
// Ctrl-C twice always works, even while a long task runs.
#pragma once

#include <csignal>
#include <string>

namespace taskfarm::detail {

class SignalLatch {
public:
    /// Installs the handlers for the process (counted: one install per holder).
    static void hold();
    /// The last holder restores the previous handlers and re-raises a pending signal.
    static void release();
    /// The first signal caught and not yet acted on, 0 if none.
    [[nodiscard]] static int pending() noexcept;
    /// A call acted on the pending signal (it threw Interrupted): forget it.
    static void clear() noexcept;
};

/// "SIGTERM", "SIGINT", "SIGUSR1", else "signal N".
[[nodiscard]] std::string signal_name(int signal);

}  // namespace taskfarm::detail
