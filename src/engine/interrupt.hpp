// Signals during a farm call. While a SignalWatch lives, SIGTERM, SIGINT and SIGUSR1 only set a
// flag (all a handler may safely do); the engine's loops look at it between tasks and stop the
// call cleanly. The previous handlers come back when the watch ends, so a signal between calls
// does what the program (or the default) says. A second SIGINT during a call ends the process the
// default way: Ctrl-C twice always works, even while a long task runs.
#pragma once

#include <csignal>
#include <string>

namespace taskfarm::detail {

class SignalWatch {
public:
    /// Installs the handlers if `enabled` (Options::handle_signals), else watches nothing.
    explicit SignalWatch(bool enabled);
    ~SignalWatch();
    SignalWatch(SignalWatch const&) = delete;
    SignalWatch& operator=(SignalWatch const&) = delete;

    /// The first signal caught since the watch started, 0 if none.
    [[nodiscard]] static int caught() noexcept;

private:
    bool enabled_;
    struct sigaction previous_[3];
};

/// "SIGTERM", "SIGINT", "SIGUSR1", else "signal N".
[[nodiscard]] std::string signal_name(int signal);

}  // namespace taskfarm::detail
