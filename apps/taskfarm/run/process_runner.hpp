/// @file
/// @brief Runs one shell command the way a batch system should: `/bin/sh -c CMD` in its own process
/// group, stdin from /dev/null, stdout and stderr captured with or without newlines (up to a cap,
/// beyond which the head and the tail are kept), a timeout that kills the whole group, and a way
/// to cancel it from outside. The command starts with SIGUSR1 ignored: under srun that signal
/// (the walltime warning) reaches every process of the job step, and must stop taskfarm, not
/// kill the commands.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace taskfarm::cli {

class CommandGuardian;

struct ProcessLimits {
    /// Seconds before the command's process group is killed (0: no limit).
    double timeout = 0;
    /// Seconds between SIGTERM and SIGKILL when the group is killed.
    double kill_grace = 2;
    /// Polled about every 100 ms while the command runs; when it returns true the group is killed
    /// as for a timeout and the result is marked `interrupted`. Empty: never.
    std::function<bool()> cancelled;
    /// The most bytes of stdout, and of stderr, kept in memory (0: no limit). Beyond it the first
    /// and last halves are kept and a note at the end of `err` says what was left out.
    std::size_t max_output = 0;
    /// Extra environment variables, "NAME=value", replacing inherited ones of the same name.
    std::vector<std::string> environment;
    /// Told of the command's process group while it runs, so that the command is still stopped
    /// by the --grace rule if this process dies (may be null).
    CommandGuardian* guardian = nullptr;
};

struct ProcessResult {
    int exit_code = -1;        ///< the shell's exit status; -1 when it was killed (timeout, cancel) or never ran
    int signal = 0;            ///< the signal that ended the command: the shell's, or N from a shell status 128+N
    bool timed_out = false;    ///< killed after `timeout`
    bool interrupted = false;  ///< killed because `cancelled` said so
    double start_time = 0;     ///< epoch seconds
    double runtime = 0;        ///< seconds
    std::string out;           ///< what the command wrote to stdout (head and tail beyond max_output)
    std::string err;           ///< what it wrote to stderr (likewise), then any truncation notes
    std::string error;         ///< set when the command could not be started (the fields above are then unused)
};

/// Runs `command` and waits for it and every process of its group that keeps its output open.
/// Safe to call from several threads at once: every descriptor is close-on-exec, so one task's
/// child never holds another task's pipe.
[[nodiscard]] ProcessResult run_process(std::string const& command, ProcessLimits const& limits);

/// The signal a shell exit status stands for: N for 128+N (1 <= N <= 64, what /bin/sh reports
/// for a child killed by signal N), else 0.
[[nodiscard]] int signal_of_shell_status(int exit_code) noexcept;

}  // namespace taskfarm::cli
