#include "run/command_guardian.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <system_error>
#include <utility>
#include <vector>

namespace taskfarm::cli {

namespace {

constexpr std::int32_t op_started = 1;  // with the command's stdout and stderr read ends
constexpr std::int32_t op_ended = 2;
constexpr std::int32_t op_terminate = 3;  // send the command SIGTERM, for its rank

/// One message; SOCK_SEQPACKET keeps messages from several threads whole and apart.
struct Message {
    std::int32_t op;
    std::int32_t group;
};

volatile sig_atomic_t hurry = 0;  // the guardian was told to stop waiting (SIGTERM, SIGINT, SIGHUP)
void on_hurry(int) { hurry = 1; }

double now() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// A command we watch: our copies of its output pipes (-1 once at end of file), and when we sent
/// it SIGTERM (for its rank or after it; 0 while we did not) and whether we SIGKILLed it.
struct Watched {
    int out = -1;
    int err = -1;
    double terminated_at = 0;
    bool killed = false;
};
/// The commands we watch, by process group.
using Groups = std::map<pid_t, Watched>;

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

/// Reads and drops what the commands wrote (nobody is left to read it) for up to `ms`.
void drain(Groups& groups, int ms) {
    std::vector<pollfd> fds;
    for (auto& [group, watched] : groups)
        for (int fd : {watched.out, watched.err})
            if (fd >= 0) fds.push_back({fd, POLLIN, 0});
    if (fds.empty()) {
        timespec const step{0, static_cast<long>(ms) * 1'000'000};
        ::nanosleep(&step, nullptr);
        return;
    }
    if (::poll(fds.data(), fds.size(), ms) <= 0) return;
    char buffer[65536];
    for (auto const& p : fds) {
        if (p.revents == 0) continue;
        if (::read(p.fd, buffer, sizeof buffer) > 0) continue;
        for (auto& [group, watched] : groups) {  // end of file (or an error): done with this pipe
            if (watched.out == p.fd) close_fd(watched.out);
            if (watched.err == p.fd) close_fd(watched.err);
        }
    }
}

/// Forgets the groups that no longer exist.
void prune(Groups& groups) {
    for (auto it = groups.begin(); it != groups.end();) {
        if (::kill(-it->first, 0) != 0 && errno == ESRCH) {
            close_fd(it->second.out);
            close_fd(it->second.err);
            it = groups.erase(it);
        } else {
            ++it;
        }
    }
}

/// Sends a command's group its one SIGTERM; we are the only process that does while we run.
void terminate(pid_t group, Watched& watched) {
    if (watched.terminated_at != 0) return;
    ::kill(-group, SIGTERM);
    ::kill(-group, SIGCONT);  // a stopped process would never see the SIGTERM
    watched.terminated_at = now();
}

/// After the rank is gone: each command still running gets SIGTERM `grace` seconds from now (at
/// once if someone hurries us), unless we already sent it one for its rank, and SIGKILL
/// `kill_grace` seconds after its SIGTERM.
void outlast(Groups& groups, double grace, double kill_grace) {
    double const terminate_at = now() + grace;
    for (prune(groups); !groups.empty(); prune(groups)) {
        double const t = now();
        bool all_killed = true;
        for (auto& [group, watched] : groups) {
            if (watched.terminated_at == 0 && (t >= terminate_at || hurry)) {
                terminate(group, watched);
            } else if (watched.terminated_at != 0 && !watched.killed && t >= watched.terminated_at + kill_grace) {
                ::kill(-group, SIGKILL);
                watched.killed = true;
            }
            all_killed = all_killed && watched.killed;
        }
        if (all_killed) return;
        drain(groups, 50);
    }
}

/// Takes one message and the descriptors that came with it; false at end of file.
bool receive(int socket, Message& m, int (&fds)[2]) {
    fds[0] = fds[1] = -1;
    iovec io{&m, sizeof m};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)];
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    for (;;) {
        ssize_t const n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n != static_cast<ssize_t>(sizeof m)) return false;
        break;
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof fds))
            std::memcpy(fds, CMSG_DATA(c), sizeof fds);
    return true;
}

[[noreturn]] void guard(int socket, double grace, double kill_grace) {
    ::setsid();  // out of the rank's process group, which mpirun SIGKILLs
    // No terminal, no pipes of the launcher's: mpirun must never wait for our output.
    int const null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
    }
    ::dup2(socket, 3);
    ::close_range(4, ~0U, 0);  // the rank's other descriptors (its joblog, the launcher's sockets)
    struct sigaction action {};
    action.sa_handler = on_hurry;
    sigemptyset(&action.sa_mask);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(sig, &action, nullptr);
    // SIGUSR1 (srun's walltime warning reaches every process of the step) must not end us.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    for (int sig : {SIGUSR1, SIGUSR2, SIGPIPE}) ::sigaction(sig, &ignore, nullptr);

    Groups groups;
    Message m{};
    int fds[2];
    while (receive(3, m, fds)) {  // until end of file: the rank is gone, or done
        if (m.op == op_started) {
            auto& watched = groups[m.group];
            close_fd(watched.out);
            close_fd(watched.err);
            watched = Watched{fds[0], fds[1]};
            continue;
        }
        close_fd(fds[0]);
        close_fd(fds[1]);
        auto const it = groups.find(m.group);
        if (it == groups.end()) continue;
        if (m.op == op_terminate) {
            terminate(it->first, it->second);
        } else {
            close_fd(it->second.out);
            close_fd(it->second.err);
            groups.erase(it);
        }
    }
    outlast(groups, grace, kill_grace);
    ::_exit(0);
}

}  // namespace

CommandGuardian::CommandGuardian(double grace, double kill_grace) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
        throw std::system_error(errno, std::generic_category(), "cannot create the command guardian's socket");
    pid_ = ::fork();
    if (pid_ < 0) {
        int const error = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        throw std::system_error(error, std::generic_category(), "cannot fork the command guardian");
    }
    if (pid_ == 0) {
        ::close(fds[1]);
        guard(fds[0], grace, kill_grace);
    }
    ::close(fds[0]);
    fd_ = fds[1];
}

CommandGuardian::~CommandGuardian() {
    ::close(fd_);
    // With nothing registered the guardian ends as soon as it reads the end of file (we wait up
    // to 5 s for that on a loaded machine); if a command is somehow still registered it goes on
    // guarding it, and init reaps it after we exit.
    for (int i = 0; i < 500; ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) != 0) return;
        timespec const step{0, 10'000'000};
        ::nanosleep(&step, nullptr);
    }
}

bool CommandGuardian::send(int op, pid_t group, int out, int err) noexcept {
    Message m{op, static_cast<std::int32_t>(group)};
    iovec io{&m, sizeof m};
    int const fds[2] = {out, err};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)] = {};
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    if (op == op_started) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof fds);
        std::memcpy(CMSG_DATA(c), fds, sizeof fds);
    }
    // MSG_NOSIGNAL: a guardian that died must not take the rank with it.
    for (;;) {
        if (::sendmsg(fd_, &msg, MSG_NOSIGNAL) >= 0) return true;
        if (errno != EINTR) return false;
    }
}

void CommandGuardian::started(pid_t group, int out, int err) noexcept { (void)send(op_started, group, out, err); }
bool CommandGuardian::terminate(pid_t group) noexcept { return send(op_terminate, group, -1, -1); }
void CommandGuardian::ended(pid_t group) noexcept { (void)send(op_ended, group, -1, -1); }

}  // namespace taskfarm::cli
