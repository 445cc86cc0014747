/// @file
/// @brief Imbalance: the shared lognormal task set (mean 0.5 ms, sigma 1), each task spinning for
/// its duration; efficiency = (sum of durations / cores) / wall.
#include <numeric>
#include <string>
#include <vector>

#include "support/bench_record.hpp"
#include "support/durations.hpp"
#include "support/spin.hpp"
#include "taskfarm_bench/scenarios.hpp"

namespace bench {

void run_imbalance(Context const& ctx) {
    std::vector<double> durations;  // the inputs: read on the root only
    if (ctx.is_root()) {
        durations = ctx.durations_file.empty() ? synthetic_durations_us(ctx.quick ? 200 : 20'000, 500.0, 1.0)
                                               : read_durations_us(ctx.durations_file, ctx.durations_limit);
    }
    double const total_us = std::accumulate(durations.begin(), durations.end(), 0.0);
    taskfarm::Farm farm(ctx.world, ctx.options(0));
    for (int rep = 0; rep < ctx.reps; ++rep) {
        std::vector<double> out;
        double const seconds = timed(ctx, [&] {
            out = farm.map(
                [](double us) {
                    spin_for_us(us);
                    return us;
                },
                durations);
        });
        if (!ctx.is_root()) continue;
        if (out != durations) fail(ctx, "imbalance: results differ from the inputs");
        Record("imbalance")
            .text("impl", "taskfarm")
            .text("config", ctx.layout() + " chunk=auto")
            .number("rep", rep)
            .number("n", static_cast<double>(durations.size()))
            .number("seconds", seconds)
            .number("efficiency", total_us * 1e-6 / ctx.cores / seconds)
            .print();
    }
}

}  // namespace bench
