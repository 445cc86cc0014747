// A downstream program, built against taskfarm the way a user would (installed package,
// add_subdirectory, or pkg-config). It farms a computation and checks it against a serial one;
// the exit status says whether every result matched.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <boost/mpi/collectives/broadcast.hpp>

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
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
