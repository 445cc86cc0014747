/// @file
/// @brief Keeps the --grace rule for the commands in flight when their rank dies. Open MPI 4.1
/// ends a rank about a second after mpirun dies (kill -9, a lost login node), and SIGKILLs the
/// ranks a second after mpirun gets SIGINT or SIGTERM; the commands run in process groups of
/// their own, so they would outlive their rank as unwatched orphans. The guardian is a small
/// process forked before MPI starts, in a session of its own (so a SIGKILL of the rank's group
/// misses it). The rank tells it each command's process group as the command starts and ends;
/// when the rank's end of the pipe closes (the rank exited, however) with commands still
/// registered, the guardian lets them run `grace` seconds, then sends their groups SIGTERM, and
/// SIGKILL `kill_grace` seconds later. A rank that stops a command itself (a timeout, a stop) asks
/// the guardian to send the SIGTERM, so that one process sends it and a command sees exactly one,
/// however the rank's SIGTERM and the rank's death interleave (the rank sending it and then dying
/// before it could say so led to a second SIGTERM). It also holds the read ends of each command's stdout and
/// stderr pipes (passed over a Unix socket) and drains them once the rank is gone, so that a
/// command that prints is not killed by SIGPIPE the moment its rank dies. Their results are lost
/// with the rank: they are not logged, and --resume runs them again.
#pragma once

#include <sys/types.h>

namespace taskfarm::cli {

class CommandGuardian {
public:
    /// Forks the guardian. Call while the process has one thread (before MPI and the farm).
    /// @throws std::system_error when the pipe or the fork fails.
    CommandGuardian(double grace, double kill_grace);
    /// Closes the pipe (the guardian, with nothing registered, then ends at once) and reaps it.
    ~CommandGuardian();
    CommandGuardian(CommandGuardian const&) = delete;
    CommandGuardian& operator=(CommandGuardian const&) = delete;

    /// A command's process group exists, reading its output from `out` and `err` (from any
    /// thread; the guardian keeps copies of the two descriptors).
    void started(pid_t group, int out, int err) noexcept;
    /// Has the guardian send the command's group SIGTERM (and SIGCONT) now, once (a timeout, a
    /// stop); should the rank die afterwards the guardian sends no second SIGTERM, only the
    /// SIGKILL `kill_grace` seconds after this one. False when the guardian cannot be told (it
    /// died): the caller then sends the SIGTERM itself.
    [[nodiscard]] bool terminate(pid_t group) noexcept;
    /// The command ended and its group is no longer ours to watch (from any thread).
    void ended(pid_t group) noexcept;

    /// The guardian's process id (for the tests).
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

private:
    bool send(int op, pid_t group, int out, int err) noexcept;
    int fd_ = -1;
    pid_t pid_ = -1;
};

}  // namespace taskfarm::cli
