// The program the fault-injection drivers (fault_inject.sh, scripts/fault_campaign.sh) kill and
// resume: three journaled farm calls (map, for_each, map_reduce) over slow tasks, whose inputs are
// task indices or structs (--inputs: padded ones with a serialize(), built over garbage that
// differs from run to run, or unpadded raw ones). Each rank logs the tasks it completes (one line
// per task, appended with write(2), so a kill -9 leaves whole lines) and its pid; the root writes
// every result to --out. --serial writes the same file without any farm: the reference.
//
// The fault lands at a point the driver controls: with --hold-at G, the first task at or past
// global task G (call * tasks + index) that rank --hold-rank runs creates CONTROL/held and blocks
// until CONTROL/go exists, so the driver knows a call is running (and cannot end) when it strikes.
// While it blocks, a SIGTERM, SIGINT or SIGUSR1 that reaches the rank creates CONTROL/signalled
// before the library's handler sees it, so the driver can let the task go on knowing the signal
// arrived during the call.
// Exit status: 0 done, 3 Interrupted, 4 TaskError, 5 another taskfarm::Error.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include <taskfarm/taskfarm.hpp>

namespace {

struct Settings {
    std::size_t tasks = 100;
    int task_ms = 4;
    std::string journal;
    std::string out;
    std::string log_dir;
    std::string inputs = "indices";  // indices | padded | unpadded
    long hold_at = -1;               // global task index to hold at (-1: no hold)
    int hold_rank = 0;
    std::string control_dir;
    double lock_wait = 30.0;
    bool serial = false;
};

long value_of(std::size_t call, std::size_t i) { return static_cast<long>((i * i + 7 * call) % 10007); }

/// Struct inputs: padded (4 bytes after id) with the author's serialize(), or unpadded and raw.
struct PaddedJob {
    int id = 0;
    double x = 0;
    template <class Ar>
    void serialize(Ar& ar, unsigned) {
        // clang-format off
        ar & id & x;
        // clang-format on
    }
};
struct UnpaddedJob {
    long id = 0;
    double x = 0;
};

/// Inputs 0 .. n-1 built in storage filled with a byte that depends on the process id, as a real
/// program's would hold whatever its memory held: a hash over padding would differ between runs.
template <class T>
class JobInputs {
public:
    explicit JobInputs(std::size_t n) : storage_(std::make_unique<T[]>(n)), n_(n) {
        std::memset(static_cast<void*>(storage_.get()), 0x5a ^ static_cast<int>(::getpid() & 0xff), n * sizeof(T));
        for (std::size_t i = 0; i < n; ++i) {
            T* job = ::new (static_cast<void*>(storage_.get() + i)) T;  // default-initialized: padding untouched
            job->id = static_cast<decltype(job->id)>(i);
            job->x = 0.5 * static_cast<double>(i);
        }
    }
    [[nodiscard]] std::span<T const> view() const { return {storage_.get(), n_}; }

private:
    std::unique_ptr<T[]> storage_;
    std::size_t n_;
};

/// The task index a job stands for (checking that it arrived intact).
std::size_t index_of(std::size_t i) { return i; }
template <class T>
std::size_t index_of(T const& job) {
    if (job.x != 0.5 * static_cast<double>(job.id)) throw std::runtime_error("input arrived damaged");
    return static_cast<std::size_t>(job.id);
}

/// The hold described at the top, and the signal observer it installs while it blocks.
namespace hold {

constexpr int kSignals[3] = {SIGTERM, SIGINT, SIGUSR1};
char signalled_path[4096];
struct sigaction library_handlers[3];
std::atomic<bool> held_once{false};

extern "C" void observe(int signal, siginfo_t* info, void* context) {
    int const fd = ::open(signalled_path, O_WRONLY | O_CREAT, 0644);  // async-signal-safe
    if (fd >= 0) ::close(fd);
    for (int i = 0; i < 3; ++i) {
        if (kSignals[i] != signal) continue;
        struct sigaction const& h = library_handlers[i];
        if (h.sa_flags & SA_SIGINFO) {
            h.sa_sigaction(signal, info, context);
        } else if (h.sa_handler != SIG_DFL && h.sa_handler != SIG_IGN) {
            h.sa_handler(signal);
        } else if (h.sa_handler == SIG_DFL) {
            ::sigaction(signal, &h, nullptr);
            ::raise(signal);
        }
    }
}

bool exists(std::string const& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

/// Called by every task before it runs: blocks the first qualifying one, as described above.
void maybe_hold(Settings const& s, int rank, std::size_t call, std::size_t i) {
    if (s.hold_at < 0 || rank != s.hold_rank) return;
    if (static_cast<long>(call * s.tasks + i) < s.hold_at) return;
    std::string const go = s.control_dir + "/go";
    if (exists(go) || held_once.exchange(true)) return;
    std::snprintf(signalled_path, sizeof signalled_path, "%s/signalled", s.control_dir.c_str());
    struct sigaction mine {};
    mine.sa_sigaction = observe;
    mine.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&mine.sa_mask);
    for (int k = 0; k < 3; ++k) ::sigaction(kSignals[k], &mine, &library_handlers[k]);
    std::ofstream(s.control_dir + "/held") << rank << " " << call << " " << i << "\n";
    while (!exists(go)) ::usleep(2000);
    for (int k = 0; k < 3; ++k) ::sigaction(kSignals[k], &library_handlers[k], nullptr);
}

}  // namespace hold

/// Appends "call index" to this rank's log once a task is complete.
class ExecutionLog {
public:
    ExecutionLog(std::string const& dir, int rank) {
        if (dir.empty()) return;
        fd_ = ::open((dir + "/exec." + std::to_string(rank)).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        std::ofstream(dir + "/pid." + std::to_string(rank)) << ::getpid() << "\n";
    }
    ~ExecutionLog() {
        if (fd_ >= 0) ::close(fd_);
    }
    void completed(std::size_t call, std::size_t i) const {
        if (fd_ < 0) return;
        std::string const line = std::to_string(call) + " " + std::to_string(i) + "\n";
        (void)!::write(fd_, line.data(), line.size());
    }

private:
    int fd_ = -1;
};

/// The results of the three calls, written in one format by the farm and the serial reference.
struct Results {
    std::vector<long> map;
    std::map<std::size_t, long> for_each;
    std::string reduce;

    void write(std::string const& path) const {
        std::ofstream out(path);
        for (std::size_t i = 0; i < map.size(); ++i) out << "map " << i << " " << map[i] << "\n";
        for (auto const& [i, v] : for_each) out << "for_each " << i << " " << v << "\n";
        out << "map_reduce " << reduce << "\n";
    }
};

Results serial(Settings const& s) {
    Results r;
    for (std::size_t i = 0; i < s.tasks; ++i) r.map.push_back(value_of(0, i));
    for (std::size_t i = 0; i < s.tasks; ++i) r.for_each[i] = value_of(1, i);
    r.reduce = "<";
    for (std::size_t i = 0; i < s.tasks; ++i) r.reduce += std::to_string(value_of(2, i)) + ",";
    return r;
}

template <class Inputs>
Results farmed(Settings const& s, Inputs const& inputs) {
    taskfarm::Options options;
    options.journal = s.journal;
    options.chunk_size = 2;
    options.prefetch = 2;  // fault_inject.sh and the fault campaign bound re-executions with it
    options.journal_sync_seconds = 0.05;
    options.journal_lock_wait_seconds = s.lock_wait;
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    ExecutionLog const log(s.log_dir, farm.rank());
    auto task = [&, rank = farm.rank()](std::size_t call) {
        return [&log, &s, rank, call](auto const& input) {
            std::size_t const i = index_of(input);
            hold::maybe_hold(s, rank, call, i);
            ::usleep(static_cast<useconds_t>(s.task_ms) * 1000);
            log.completed(call, i);
            return value_of(call, i);
        };
    };
    Results r;
    r.map = farm.map(task(0), inputs);
    farm.for_each(task(1), inputs, [&](std::size_t i, long v) { r.for_each[i] = v; });
    auto const piece = [t = task(2)](auto const& input) { return std::to_string(t(input)) + ","; };
    r.reduce = farm.map_reduce(piece, std::plus<>{}, inputs, std::string("<"));
    if (!farm.is_root()) r = Results{};
    return r;
}

Results farmed(Settings const& s) {
    bool const root = boost::mpi::communicator().rank() == 0;  // inputs are read on the root only
    if (s.inputs == "padded") {
        JobInputs<PaddedJob> const jobs(root ? s.tasks : 0);
        return farmed(s, jobs.view());
    }
    if (s.inputs == "unpadded") {
        JobInputs<UnpaddedJob> const jobs(root ? s.tasks : 0);
        return farmed(s, jobs.view());
    }
    if (s.inputs != "indices") throw std::invalid_argument("--inputs must be indices, padded or unpadded");
    return farmed(s, taskfarm::indices(s.tasks));
}

}  // namespace

int main(int argc, char** argv) {
    namespace po = boost::program_options;
    Settings s;
    po::options_description options("fault_farm options");
    // clang-format off
    options.add_options()
        ("tasks", po::value(&s.tasks)->default_value(s.tasks), "tasks per call")
        ("task-ms", po::value(&s.task_ms)->default_value(s.task_ms), "milliseconds per task")
        ("journal", po::value(&s.journal), "journal path")
        ("out", po::value(&s.out), "results file (root)")
        ("log-dir", po::value(&s.log_dir), "directory for per-rank execution logs and pids")
        ("inputs", po::value(&s.inputs)->default_value(s.inputs), "indices, padded or unpadded")
        ("hold-at", po::value(&s.hold_at), "global task index at which --hold-rank blocks (see above)")
        ("hold-rank", po::value(&s.hold_rank)->default_value(s.hold_rank), "the rank that holds")
        ("control-dir", po::value(&s.control_dir), "directory of the hold's marker files")
        ("lock-wait", po::value(&s.lock_wait)->default_value(s.lock_wait), "Options.journal_lock_wait_seconds")
        ("serial", po::bool_switch(&s.serial), "write the reference results without a farm");
    // clang-format on
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);

    if (s.serial) {
        serial(s).write(s.out);
        return 0;
    }
    taskfarm::Environment env(argc, argv);
    try {
        Results const r = farmed(s);
        if (boost::mpi::communicator().rank() == 0 && !s.out.empty()) r.write(s.out);
        return 0;
    } catch (taskfarm::Interrupted const& e) {
        std::cerr << "fault_farm: " << e.what() << "\n";
        return 3;
    } catch (taskfarm::TaskError const& e) {
        std::cerr << "fault_farm: " << e.what() << "\n";
        return 4;
    } catch (taskfarm::Error const& e) {
        std::cerr << "fault_farm: " << e.what() << "\n";
        return 5;
    }
}
