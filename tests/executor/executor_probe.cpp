// Not a test: prints two figures of issue 11 for the report and for comparing builds (it uses only
// API the old executor had too). The completion order of tasks sleeping 300, 100, 200 and 50 ms
// (Python's as_completed gives 50 100 200 300), and the wall time of 16 one-second sleeps.
// Run: OMP_NUM_THREADS=8 mpirun -np 2 executor_probe
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <taskfarm/executor.hpp>
#include <taskfarm/taskfarm.hpp>

namespace {
int sleep_ms(int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return ms;
}
TASKFARM_TASK(sleep_ms);
}  // namespace

int main(int argc, char** argv) {
    taskfarm::Environment env(argc, argv);
    taskfarm::Executor ex;
    if (!ex.is_root()) return 0;
    std::vector<taskfarm::Future<int>> futures;
    for (int ms : {300, 100, 200, 50}) futures.push_back(ex.submit(sleep_ms, ms));
    std::printf("as_completed order of 300 100 200 50 ms sleeps:");
    for (auto& f : taskfarm::as_completed(futures)) std::printf(" %d", f.get());
    std::printf("\n");

    auto const start = std::chrono::steady_clock::now();
    futures.clear();
    for (int k = 0; k < 16; ++k) futures.push_back(ex.submit(sleep_ms, 1000));
    for (auto& f : futures) (void)f.get();
    std::printf("16 one-second sleeps on %d ranks: %.2f s\n", ex.size(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}
