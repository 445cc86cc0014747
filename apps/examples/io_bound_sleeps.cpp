// I/O-bound tasks (issue 13): tasks that wait rather than compute, run with more threads than
// cores. Usage: io_bound_sleeps [tasks=16] [seconds=1] [threads=8] [tuned=1]
//   tuned=1: chunk_size 1 and prefetch 1 (the recipe in docs/FROM_PYTHON.md); 0: default options.
// Run with OMP_WAIT_POLICY=passive. Prints the wall time and checks every task ran once.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include <taskfarm/taskfarm.hpp>

int main(int argc, char** argv) {
    taskfarm::Environment env(argc, argv);
    std::size_t const tasks = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 16;
    double const seconds = argc > 2 ? std::strtod(argv[2], nullptr) : 1.0;
    int const threads = argc > 3 ? std::atoi(argv[3]) : 8;
    bool const tuned = argc > 4 ? std::atoi(argv[4]) != 0 : true;

    taskfarm::Options options;
    options.threads = threads;
    if (tuned) {
        options.chunk_size = 1;  // the adaptive size measures work, not waiting
        options.prefetch = 1;    // else the first rounds give some threads two tasks, others none
    }
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    auto wait = [seconds](std::size_t i) {
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));  // a request, a file
        return i;
    };
    auto const start = std::chrono::steady_clock::now();
    std::vector<std::size_t> const out = farm.map(wait, taskfarm::indices(tasks));
    double const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!farm.is_root()) return 0;
    for (std::size_t i = 0; i < tasks; ++i)
        if (out[i] != i) {
            std::fprintf(stderr, "io_bound_sleeps: task %zu gave %zu\n", i, out[i]);
            return 1;
        }
    std::printf("io_bound_sleeps: %zu tasks x %.3f s on %d ranks x %d threads (%s): %.2f s wall\n", tasks, seconds,
                farm.size(), threads, tuned ? "chunk 1, prefetch 1" : "default chunks and prefetch", wall);
    return 0;
}
