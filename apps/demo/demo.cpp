// The demo: a Monte Carlo parameter sweep on a built-in, CPU-bound workload.
//
// Each task estimates the integral of exp(-x^2) over [0, 1] from its own random stream (about a
// millisecond of work); the farm folds the estimates with map_reduce. The answer is checked
// against the exact value sqrt(pi)/2 * erf(1), and the throughput is printed.
//
//   mpirun -n 2 taskfarm-demo --tasks 4000
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <string>

#include <boost/program_options.hpp>

#include <taskfarm/taskfarm.hpp>

namespace {

/// What one task returns: enough to combine estimates and their spread.
struct Estimate {
    double sum = 0;     // sum of the per-task means
    double sum_sq = 0;  // sum of their squares
    std::uint64_t tasks = 0;

    friend Estimate operator+(Estimate a, Estimate const& b) {
        return {a.sum + b.sum, a.sum_sq + b.sum_sq, a.tasks + b.tasks};
    }
};

/// splitmix64: a tiny, good, seedable generator, so every task's stream is its own.
std::uint64_t next_random(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

Estimate integrate(std::size_t task, std::size_t samples) {
    std::uint64_t state = 0x5eed0000ULL + task;
    double sum = 0;
    for (std::size_t s = 0; s < samples; ++s) {
        double const x = static_cast<double>(next_random(state) >> 11) * 0x1.0p-53;
        sum += std::exp(-x * x);
    }
    double const mean = sum / static_cast<double>(samples);
    return {mean, mean * mean, 1};
}

}  // namespace

int main(int argc, char** argv) {
    namespace po = boost::program_options;
    std::size_t tasks = 4000;
    std::size_t samples = 150000;
    std::string trace;
    bool progress = false;
    bool statistics = false;
    po::options_description options("taskfarm-demo: a Monte Carlo sweep farmed over MPI ranks and OpenMP threads");
    // clang-format off
    options.add_options()("help,h", "show this help")
        ("tasks", po::value(&tasks)->default_value(tasks), "number of tasks (0 is allowed)")
        ("samples", po::value(&samples)->default_value(samples), "random samples per task (a few ns each; 150000 is about a millisecond)")
        ("trace", po::value(&trace), "write a Chrome trace of the call to this file (see `taskfarm report`)")
        ("progress", po::bool_switch(&progress), "show a progress bar on stderr")
        ("statistics", po::bool_switch(&statistics), "print per-rank statistics at the end");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (std::exception const& e) {
        std::cerr << "taskfarm-demo: " << e.what() << "\n" << options;
        return 2;
    }
    if (vm.count("help") != 0) {
        std::cout << options;
        return 0;
    }
    if (samples == 0) samples = 1;

    taskfarm::Environment env(argc, argv);
    taskfarm::Options farm_options;
    farm_options.trace = trace;
    if (progress) farm_options.progress = taskfarm::stderr_progress(1.0);
    taskfarm::Farm farm(boost::mpi::communicator(), farm_options);
    auto const start = std::chrono::steady_clock::now();
    Estimate const total = farm.map_reduce([samples](std::size_t task) { return integrate(task, samples); },
                                           std::plus<>{}, taskfarm::indices(tasks), Estimate{});
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!farm.is_root()) return 0;

    double const exact = std::sqrt(std::acos(-1.0)) / 2 * std::erf(1.0);
    std::printf("taskfarm-demo: %zu tasks x %zu samples on %d ranks x %d threads\n", tasks, samples, farm.size(),
                farm.threads());
    if (total.tasks != tasks) {
        std::printf("ERROR: %llu of %zu tasks accounted for\n", static_cast<unsigned long long>(total.tasks), tasks);
        return 1;
    }
    if (tasks > 0) {
        double const n = static_cast<double>(tasks);
        double const mean = total.sum / n;
        double const spread = std::sqrt(std::max(total.sum_sq / n - mean * mean, 0.0));
        double const error_bar = tasks > 1 ? spread / std::sqrt(n) : spread;
        bool const ok = std::abs(mean - exact) <= 5 * error_bar + 1e-12;
        std::printf("integral of exp(-x^2) on [0,1]: %.7f +- %.7f (exact %.7f): %s\n", mean, error_bar, exact,
                    ok ? "correct" : "WRONG");
        if (!ok) return 1;
    }
    if (statistics) std::cout << farm.statistics() << std::flush;
    std::printf("throughput: %.0f tasks/s (%.3f s wall)\n", seconds > 0 ? static_cast<double>(tasks) / seconds : 0.0,
                seconds);
    return 0;
}
