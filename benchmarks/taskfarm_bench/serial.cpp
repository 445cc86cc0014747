/// @file
/// @brief The serial reference: the granularity points and the lognormal set run in a plain loop
/// on one thread, no farm, timed like the parallel runs. Every efficiency in the report is
/// serial wall / (cores x parallel wall) of the same tasks measured in the same run (Task Bench's
/// METG method), so the cost of the task itself (its clock reads included) cancels out.
/// Run it on one rank: on more, only the root runs the loop and the others return at once.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "support/bench_record.hpp"
#include "support/spin.hpp"
#include "taskfarm_bench/scenarios.hpp"
#include "taskfarm_bench/task_sets.hpp"

namespace bench {
namespace {

template <class Loop>
void measure(Context const& ctx, std::string const& set, std::uint64_t n, Loop&& loop) {
    for (int rep = 0; rep < ctx.reps; ++rep) {
        auto const start = std::chrono::steady_clock::now();
        loop();
        double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        Record("serial")
            .text("impl", "cpp")
            .text("config", set)
            .number("rep", rep)
            .number("n", static_cast<double>(n))
            .number("seconds", seconds)
            .number("us_per_task", seconds / static_cast<double>(n) * 1e6)
            .print();
    }
}

}  // namespace

void run_serial(Context const& ctx) {
    if (!ctx.is_root()) return;
    for (double const us : granularity_durations_us(ctx)) {
        std::uint64_t const n = granularity_tasks(ctx, us);
        measure(ctx, granularity_set(us, n), n, [&] {
            for (std::uint64_t i = 0; i < n; ++i) spin_for_us(us);
        });
    }
    std::vector<double> const durations = lognormal_durations_us(ctx);
    measure(ctx, "lognormal", durations.size(), [&] {
        for (double const us : durations) spin_for_us(us);
    });
}

}  // namespace bench
