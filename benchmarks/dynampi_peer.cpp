/// @file
/// @brief Peer: DynaMPI (github.com/ryanstocks00/DynaMPI, header-only) on the same CPU-burning
/// tasks as taskfarm: the lognormal set and the 1 us set. Built only when DYNAMPI_INCLUDE points
/// at a local copy of its include/ folder (it is never vendored or downloaded); run.sh skips the
/// step otherwise and says so.
///
///   mpirun -n 2 dynampi_peer --durations FILE --reps 3
///
/// Its one-call API, `mpi_manager_worker_distribution<R>(n, fn)`: the manager rank hands out task
/// indices and does not compute; results come back on the manager (in task order in some
/// versions, in completion order in others, so they are checked as a multiset).
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <dynampi/dynampi.hpp>

#include "support/bench_record.hpp"
#include "support/durations.hpp"
#include "support/spin.hpp"

namespace po = boost::program_options;

namespace {

/// Runs the set once, every rank; returns the manager's wall time (0 elsewhere).
double run_once(std::vector<double> const& durations_us, std::vector<double>& sorted_expected) {
    std::function<double(std::size_t)> task = [&durations_us](std::size_t i) {
        bench::spin_for_us(durations_us[i]);
        return durations_us[i];
    };
    MPI_Barrier(MPI_COMM_WORLD);
    auto const start = std::chrono::steady_clock::now();
    auto results = dynampi::mpi_manager_worker_distribution<double>(durations_us.size(), task);
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (results.has_value()) {
        std::sort(results->begin(), results->end());
        if (*results != sorted_expected) {
            std::fprintf(stderr, "dynampi_peer: wrong results\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        return seconds;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    std::string durations_file;
    std::size_t limit = 0, fine_n = 2'000'000;
    int reps = 3;
    po::options_description desc("dynampi_peer options");
    // clang-format off
    desc.add_options()("durations", po::value(&durations_file)->required(), "lognormal durations (us per line)")  //
        ("limit", po::value(&limit)->default_value(0), "first N durations only (0: all)")                      //
        ("fine-n", po::value(&fine_n)->default_value(2'000'000), "tasks of the 1 us set (0: skip it)")          //
        ("reps", po::value(&reps)->default_value(3), "repetitions");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
    } catch (po::error const& e) {
        if (rank == 0) std::fprintf(stderr, "dynampi_peer: %s\n", e.what());
        MPI_Finalize();
        return 2;
    }
    std::string const layout = std::to_string(size) + " ranks (1 manager + " + std::to_string(size - 1) + " workers)";
    struct Set {
        std::string bench, config;
        std::vector<double> durations;
    };
    std::vector<Set> sets{{"imbalance", "lognormal", bench::read_durations_us(durations_file, limit)}};
    if (fine_n > 0)
        sets.push_back({"granularity", "spin=1us n=" + std::to_string(fine_n), std::vector<double>(fine_n, 1.0)});
    for (auto& set : sets) {
        std::vector<double> sorted = set.durations;
        std::sort(sorted.begin(), sorted.end());
        double total_us = 0;
        for (double us : set.durations) total_us += us;
        for (int rep = 0; rep < reps; ++rep) {
            double const seconds = run_once(set.durations, sorted);
            if (rank != 0) continue;
            bench::Record(set.bench)
                .text("impl", "dynampi")
                .text("config", layout + " " + set.config)
                .number("rep", rep)
                .number("n", static_cast<double>(set.durations.size()))
                .number("seconds", seconds)
                .number("nominal_efficiency", total_us * 1e-6 / 2 / seconds)
                .print();
        }
    }
    MPI_Finalize();
    return 0;
}
