/// @file
/// @brief The naive baseline a user would write first: a Boost.MPI master/worker farm with one
/// message per task. The master sends one index at a time with world.send, polls for results with
/// iprobe (it spins and does not compute), and answers each result with the next index.
///
///   mpirun -n 3 naive_boost_farm --mode empty                 # f(i) = i, tasks per second
///   mpirun -n 3 naive_boost_farm --mode lognormal --durations FILE --cores 2
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "support/bench_record.hpp"
#include "support/calibrate.hpp"
#include "support/durations.hpp"
#include "support/spin.hpp"

namespace mpi = boost::mpi;
namespace po = boost::program_options;

namespace {

enum Tag : int { task_tag = 1, result_tag = 2, quit_tag = 3 };

/// Master: runs tasks 0..n-1 on the workers; returns the seconds it took. Aborts the job if a
/// result is missing or wrong (every result must equal its index).
double run_round(mpi::communicator const& world, std::int64_t n) {
    auto const start = std::chrono::steady_clock::now();
    std::int64_t next = 0;
    int outstanding = 0;
    for (int w = 1; w < world.size() && next < n; ++w, ++outstanding) world.send(w, task_tag, next++);
    std::int64_t received = 0;
    std::int64_t sum = 0;
    while (outstanding > 0) {
        auto const probe = world.iprobe(mpi::any_source, result_tag);  // the master polls
        if (!probe) continue;
        std::int64_t result = 0;
        world.recv(probe->source(), result_tag, result);
        --outstanding;
        ++received;
        sum += result;
        if (next < n) {
            world.send(probe->source(), task_tag, next++);
            ++outstanding;
        }
    }
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (received != n || sum != n * (n - 1) / 2) {
        std::cerr << "naive_boost_farm: wrong results (" << received << " of " << n << ")\n";
        world.abort(1);
    }
    return seconds;
}

/// Worker: runs the tasks it receives until told to quit. A task spins for its duration (if any
/// durations were given) and returns its index.
void serve(mpi::communicator const& world, std::vector<double> const& durations_us) {
    for (;;) {
        std::int64_t index = 0;
        auto const status = world.recv(0, mpi::any_tag, index);
        if (status.tag() == quit_tag) return;
        if (!durations_us.empty()) bench::spin_for_us(durations_us[static_cast<std::size_t>(index)]);
        world.send(0, result_tag, index);
    }
}

}  // namespace

int main(int argc, char** argv) {
    mpi::environment env(argc, argv);
    mpi::communicator world;

    po::options_description desc("naive_boost_farm options");
    std::string mode;
    std::string durations_file;
    std::size_t limit = 0;
    int reps = 3;
    double cores = 2;
    double min_seconds = 0.25;
    std::size_t n_max = 20'000'000;
    // clang-format off
    desc.add_options()("help", "this text")                                                        //
        ("mode", po::value(&mode)->default_value("empty"), "empty (f(i) = i) or lognormal")        //
        ("durations", po::value(&durations_file), "lognormal durations file (us per line)")       //
        ("limit", po::value(&limit)->default_value(0), "use only the first N durations (0: all)")  //
        ("reps", po::value(&reps)->default_value(3), "repetitions")                                //
        ("cores", po::value(&cores)->default_value(2), "cores the efficiency is measured against") //
        ("min-seconds", po::value(&min_seconds)->default_value(0.25), "shortest timed run (empty)")//
        ("n-max", po::value(&n_max)->default_value(20'000'000), "most empty tasks per run");
    // clang-format on
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) {
        if (world.rank() == 0) std::cout << desc << "\n";
        return 0;
    }
    if (world.size() < 2) {
        if (world.rank() == 0) std::cerr << "naive_boost_farm needs a master and at least one worker\n";
        return 2;
    }

    std::vector<double> durations;
    if (mode == "lognormal") durations = bench::read_durations_us(durations_file, limit);

    if (world.rank() != 0) {
        serve(world, durations);
        return 0;
    }

    std::string const layout = std::to_string(world.size()) + "x1";
    if (mode == "lognormal") {
        double total_us = 0;
        for (double us : durations) total_us += us;
        for (int rep = 0; rep < reps; ++rep) {
            double const seconds = run_round(world, static_cast<std::int64_t>(durations.size()));
            bench::Record("imbalance")
                .text("impl", "naive_boost")
                .text("config", layout + " chunk=1")
                .number("rep", rep)
                .number("n", static_cast<double>(durations.size()))
                .number("seconds", seconds)
                .number("nominal_efficiency", total_us * 1e-6 / cores / seconds)
                .print();
        }
    } else {
        auto run = [&](std::size_t n) { return run_round(world, static_cast<std::int64_t>(n)); };
        std::size_t const n = bench::calibrated_size({1000, n_max, min_seconds}, run, [](std::size_t v) { return v; });
        for (int rep = 0; rep < reps; ++rep) {
            double const seconds = run(n);
            bench::Record("dispatch")
                .text("impl", "naive_boost")
                .text("config", layout + " chunk=1")
                .number("rep", rep)
                .number("n", static_cast<double>(n))
                .number("seconds", seconds)
                .number("tasks_per_s", static_cast<double>(n) / seconds)
                .number("us_per_task", seconds / static_cast<double>(n) * 1e6)
                .print();
        }
    }
    for (int w = 1; w < world.size(); ++w) world.send(w, quit_tag, std::int64_t{0});
    return 0;
}
