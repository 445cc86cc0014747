/// @file
/// @brief Granularity: CPU-burning tasks of a fixed duration on every core, automatic chunks.
/// The report divides the serial wall time of the same tasks (the serial scenario) by cores x
/// this wall time, and interpolates the METG (the smallest task duration reaching 50 % and 90 %
/// efficiency) from these points; the nominal figure (tasks x duration / cores / wall) is kept
/// beside it, labelled as such.
#include <cstdint>
#include <functional>
#include <string>

#include "support/bench_record.hpp"
#include "support/spin.hpp"
#include "taskfarm_bench/scenarios.hpp"
#include "taskfarm_bench/task_sets.hpp"

namespace bench {

void run_granularity(Context const& ctx) {
    taskfarm::Farm farm(ctx.world, ctx.options(0));
    for (double const us : granularity_durations_us(ctx)) {
        std::uint64_t const n = granularity_tasks(ctx, us);
        for (int rep = 0; rep < ctx.reps; ++rep) {
            std::uint64_t count = 0;
            double const seconds = timed(ctx, [&] {
                count = farm.map_reduce(
                    [us](std::size_t) {
                        spin_for_us(us);
                        return std::uint64_t{1};
                    },
                    std::plus<>{}, taskfarm::indices(n), std::uint64_t{0});
            });
            if (!ctx.is_root()) continue;
            if (count != n)
                fail(ctx, "granularity: " + std::to_string(count) + " of " + std::to_string(n) + " tasks ran");
            Record("granularity")
                .text("impl", "taskfarm")
                .text("layout", ctx.layout())
                .text("config", ctx.layout() + " " + granularity_set(us, n) + " chunk=auto")
                .number("rep", rep)
                .number("duration_us", us)
                .number("n", static_cast<double>(n))
                .number("seconds", seconds)
                .number("nominal_efficiency", static_cast<double>(n) * us * 1e-6 / ctx.cores / seconds)
                .print();
        }
    }
}

}  // namespace bench
