// The program the fault-injection driver (fault_inject.sh) kills and resumes: three journaled farm
// calls (map, for_each, map_reduce) over slow tasks. Each rank logs the tasks it completes (one
// line per task, appended with write(2), so a kill -9 leaves whole lines) and its pid; the root
// writes every result to --out. --serial writes the same file without any farm: the reference.
// Exit status: 0 done, 3 Interrupted, 4 TaskError, 5 another taskfarm::Error.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
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
    bool serial = false;
};

long value_of(std::size_t call, std::size_t i) { return static_cast<long>((i * i + 7 * call) % 10007); }

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

Results farmed(Settings const& s) {
    taskfarm::Options options;
    options.journal = s.journal;
    options.chunk_size = 2;
    options.journal_sync_seconds = 0.05;
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    ExecutionLog const log(s.log_dir, farm.rank());
    auto task = [&](std::size_t call) {
        return [&log, call, ms = s.task_ms](std::size_t i) {
            ::usleep(static_cast<useconds_t>(ms) * 1000);
            log.completed(call, i);
            return value_of(call, i);
        };
    };
    Results r;
    r.map = farm.map(task(0), taskfarm::indices(s.tasks));
    farm.for_each(task(1), taskfarm::indices(s.tasks), [&](std::size_t i, long v) { r.for_each[i] = v; });
    auto const piece = [t = task(2)](std::size_t i) { return std::to_string(t(i)) + ","; };
    r.reduce = farm.map_reduce(piece, std::plus<>{}, taskfarm::indices(s.tasks), std::string("<"));
    if (!farm.is_root()) r = Results{};
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    namespace po = boost::program_options;
    Settings s;
    po::options_description options("fault_farm options");
    options.add_options()
        ("tasks", po::value(&s.tasks)->default_value(s.tasks), "tasks per call")
        ("task-ms", po::value(&s.task_ms)->default_value(s.task_ms), "milliseconds per task")
        ("journal", po::value(&s.journal), "journal path")
        ("out", po::value(&s.out), "results file (root)")
        ("log-dir", po::value(&s.log_dir), "directory for per-rank execution logs and pids")
        ("serial", po::bool_switch(&s.serial), "write the reference results without a farm");
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
