// The program tests/crash/crash_report.sh kills from inside a task: a journaled for_each over
// --tasks tasks in which task --crash-task dies the way --mode says (segv: a SIGSEGV; exit: a
// call to exit(7); none: it returns like the others). The root writes "index value" for every
// result it has (from this run or the journal) to --out, in index order. Exit status: 0 done, 4 TaskError (its message on stderr).
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include <taskfarm/taskfarm.hpp>

namespace {
long value_of(std::size_t i) { return static_cast<long>(i * i % 1009); }
}  // namespace

int main(int argc, char** argv) {
    std::size_t tasks = 40;
    std::size_t crash_task = 0;
    std::string mode = "none";
    std::string journal;
    std::string out;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string const key = argv[i];
        std::string const value = argv[i + 1];
        if (key == "--tasks") tasks = std::stoul(value);
        else if (key == "--crash-task") crash_task = std::stoul(value);
        else if (key == "--mode") mode = value;
        else if (key == "--journal") journal = value;
        else if (key == "--out") out = value;
    }
    taskfarm::Environment env(argc, argv);
    taskfarm::Options options;
    options.journal = journal;
    options.chunk_size = 1;
    options.on_error = taskfarm::OnError::collect;
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    std::map<std::size_t, long> results;  // for_each: what arrived (or was replayed) even if a task failed
    int status = 0;
    try {
        farm.for_each(
            [&](std::size_t i) {
                if (i == crash_task && mode == "segv") std::raise(SIGSEGV);
                if (i == crash_task && mode == "exit") std::exit(7);
                return value_of(i);
            },
            taskfarm::indices(tasks), [&](std::size_t i, long value) { results[i] = value; });
    } catch (taskfarm::TaskError const& e) {
        if (farm.is_root()) std::cerr << "TaskError: " << e.what() << "\n";
        status = 4;
    }
    if (farm.is_root() && !out.empty()) {
        std::ofstream file(out);
        for (auto const& [i, value] : results) file << i << " " << value << "\n";
    }
    return status;
}
