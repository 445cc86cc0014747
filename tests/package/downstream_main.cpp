// A downstream program, built against taskfarm the way a user would (installed package,
// add_subdirectory, or pkg-config). It farms a computation with a Farm and with an Executor (whose
// task registration must survive linking a static taskfarm) and checks both against serial ones;
// the exit status says whether every result matched.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <boost/mpi/collectives/broadcast.hpp>

#include <taskfarm/executor.hpp>
#include <taskfarm/taskfarm.hpp>

namespace {

// Steps of the Collatz sequence from n down to 1: cheap, uneven, and easy to check serially.
std::uint64_t collatz_steps(std::size_t start) {
    std::uint64_t n = start + 1;
    std::uint64_t steps = 0;
    while (n != 1) {
        n = (n % 2 == 0) ? n / 2 : 3 * n + 1;
        ++steps;
    }
    return steps;
}

std::uint64_t collatz_peak(std::uint64_t n) {
    std::uint64_t peak = n;
    while (n > 1) {
        n = (n % 2 == 0) ? n / 2 : 3 * n + 1;
        peak = n > peak ? n : peak;
    }
    return peak;
}
TASKFARM_TASK(collatz_peak);

}  // namespace

int main(int argc, char** argv) {
    taskfarm::Environment env(argc, argv);
    int failures = 0;
    {
        taskfarm::Farm farm;
        constexpr std::size_t n = 5000;
        auto const steps = farm.map(collatz_steps, taskfarm::indices(n));
        if (farm.is_root()) {
            if (steps.size() != n) ++failures;
            for (std::size_t i = 0; i < steps.size(); ++i)
                if (steps[i] != collatz_steps(i)) ++failures;
            std::printf("downstream: %zu tasks on %d ranks, %d mismatches\n", steps.size(), farm.size(), failures);
        }
        boost::mpi::broadcast(farm.communicator(), failures, farm.options().root);
    }
    {
        taskfarm::Executor executor;
        if (executor.is_root()) {
            std::vector<std::uint64_t> starts;
            for (std::uint64_t n = 1; n <= 300; ++n) starts.push_back(n);
            auto const peaks = executor.map(collatz_peak, starts);
            int mismatches = 0;
            for (std::size_t i = 0; i < starts.size(); ++i)
                if (peaks[i] != collatz_peak(starts[i])) ++mismatches;
            std::printf("downstream: executor ran %zu tasks on %d ranks, %d mismatches\n", peaks.size(),
                        executor.size(), mismatches);
            failures += mismatches;
        }
    }
    // After the executor's scope: its workers are inside its constructor until the root's ends.
    boost::mpi::broadcast(boost::mpi::communicator(), failures, 0);
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
