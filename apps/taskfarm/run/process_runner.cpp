#include "run/process_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "results/output_cap.hpp"
#include "run/command_guardian.hpp"

extern char** environ;

namespace taskfarm::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double epoch_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The child's environment: ours, minus the names `extra` sets, plus `extra`. Built before fork
/// because nothing that allocates may run between fork and exec in a threaded program.
std::vector<std::string> child_environment(std::vector<std::string> const& extra) {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view const entry(*e);
        auto const name = entry.substr(0, entry.find('=') + 1);
        bool overridden = false;
        for (auto const& x : extra) overridden = overridden || x.compare(0, name.size(), name) == 0;
        if (!overridden) env.emplace_back(entry);
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

/// Owns a file descriptor.
struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(Fd const&) = delete;
    Fd& operator=(Fd const&) = delete;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

/// Reads what is available on `fd` into `sink`; closes `fd` at end of file.
void drain(Fd& fd, CappedOutput& sink) {
    char buffer[65536];
    ssize_t const n = ::read(fd.fd, buffer, sizeof buffer);
    if (n > 0) sink.append(buffer, static_cast<std::size_t>(n));
    else if (n == 0 || (errno != EINTR && errno != EAGAIN)) fd.reset();
}

[[noreturn]] void exec_child(int out, int err, char const* command, char* const* envp) {
    // Only async-signal-safe calls from here on (we were forked from a threaded process).
    ::setpgid(0, 0);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGUSR2, SIGQUIT, SIGHUP}) ::sigaction(sig, &dfl, nullptr);
    // SIGUSR1 is the "stop soon" signal of a walltime-safe job. srun (and scancel --signal,
    // #SBATCH --signal without B:) hand it to every process of the job step, the commands
    // included, whose default action would kill them. Ignored here, it stays ignored through
    // exec, so the commands run on through the --grace period (a program may still install its
    // own handler; a shell script cannot trap a signal ignored on entry).
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGUSR1, &ignore, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int const null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    char const* argv[] = {"sh", "-c", command, nullptr};
    ::execve("/bin/sh", const_cast<char* const*>(argv), envp);
    char const message[] = "taskfarm: cannot execute /bin/sh\n";
    [[maybe_unused]] auto ignored = ::write(2, message, sizeof message - 1);
    ::_exit(127);
}

}  // namespace

int signal_of_shell_status(int exit_code) noexcept {
    return exit_code > 128 && exit_code <= 128 + 64 ? exit_code - 128 : 0;
}

ProcessResult run_process(std::string const& command, ProcessLimits const& limits) {
    ProcessResult result;
    std::vector<std::string> const env = child_environment(limits.environment);
    std::vector<char*> envp;
    for (auto const& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        result.error = std::string("cannot create a pipe: ") + std::strerror(errno);
        return result;
    }
    Fd out_read(out_pipe[0]);
    Fd out_write(out_pipe[1]);
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        result.error = std::string("cannot create a pipe: ") + std::strerror(errno);
        return result;
    }
    Fd err_read(err_pipe[0]);
    Fd err_write(err_pipe[1]);

    result.start_time = epoch_now();
    auto const start = Clock::now();
    pid_t const pid = ::fork();
    if (pid < 0) {
        result.error = std::string("cannot fork: ") + std::strerror(errno);
        return result;
    }
    if (pid == 0) exec_child(out_write.fd, err_write.fd, command.c_str(), envp.data());
    ::setpgid(pid, pid);  // also here, so the group exists before we could ever signal it
    if (limits.guardian) limits.guardian->started(pid, out_read.fd, err_read.fd);
    out_write.reset();
    err_write.reset();

    CappedOutput out(limits.max_output);
    CappedOutput err(limits.max_output);
    bool reaped = false;
    int status = 0;
    bool killing = false;
    bool killed_hard = false;
    Clock::time_point kill_started;
    auto start_kill = [&] {
        killing = true;
        kill_started = Clock::now();
        // With a guardian, it sends the SIGTERM: were we to send it and die before telling it,
        // it would send a second one.
        if (limits.guardian && limits.guardian->terminate(pid)) return;
        ::kill(-pid, SIGTERM);
        ::kill(-pid, SIGCONT);  // a stopped process would never see the SIGTERM
    };

    for (;;) {
        bool const pipes_open = out_read.fd >= 0 || err_read.fd >= 0;
        if (reaped && !pipes_open) break;

        int wait_ms = 100;
        if (limits.timeout > 0 && !killing)
            wait_ms = std::min(wait_ms,
                               std::max(0, static_cast<int>((limits.timeout - seconds_since(start)) * 1000) + 1));
        if (pipes_open) {
            pollfd fds[2] = {{out_read.fd, POLLIN, 0}, {err_read.fd, POLLIN, 0}};
            int const ready = ::poll(fds, 2, reaped ? wait_ms : std::min(wait_ms, 20));
            if (ready > 0) {
                if (fds[0].revents != 0) drain(out_read, out);
                if (fds[1].revents != 0) drain(err_read, err);
            }
        } else {
            ::poll(nullptr, 0, std::min(wait_ms, 10));
        }
        if (!reaped) {
            pid_t const w = ::waitpid(pid, &status, WNOHANG);
            reaped = w == pid || (w < 0 && errno == ECHILD);
        }

        if (!killing && limits.timeout > 0 && seconds_since(start) >= limits.timeout) {
            result.timed_out = true;
            start_kill();
        }
        if (!killing && limits.cancelled && limits.cancelled()) {
            result.interrupted = true;
            start_kill();
        }
        if (killing && !killed_hard && seconds_since(kill_started) >= limits.kill_grace) {
            killed_hard = true;
            ::kill(-pid, SIGKILL);
        }
        // A process that left the group (setsid) and kept the pipes open cannot be killed by us:
        // stop waiting for its output rather than hang.
        if (killed_hard && reaped && seconds_since(kill_started) >= 2 * limits.kill_grace + 1) break;
    }
    if (limits.guardian) limits.guardian->ended(pid);
    result.runtime = seconds_since(start);
    std::string const notes = truncation_note("stdout", out) + truncation_note("stderr", err);
    result.out = out.take();
    result.err = err.take();
    if (!notes.empty() && !result.err.empty() && result.err.back() != '\n') result.err += '\n';
    result.err += notes;

    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
        result.signal = signal_of_shell_status(result.exit_code);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
        result.exit_code = 128 + result.signal;
    }
    if (result.timed_out || result.interrupted) {
        result.exit_code = -1;
        if (result.signal == 0) result.signal = killed_hard ? SIGKILL : SIGTERM;
    }
    return result;
}

}  // namespace taskfarm::cli
