/// @file
/// @brief Imbalance: the shared lognormal task set (2000 tasks, mean 1 ms, sigma 1), each task
/// burning its duration of CPU time. The report takes efficiency against the serial run of the
/// same set; the nominal figure (sum of durations / cores / wall) is kept, labelled as such.
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "support/bench_record.hpp"
#include "support/spin.hpp"
#include "taskfarm_bench/scenarios.hpp"
#include "taskfarm_bench/task_sets.hpp"

namespace bench {

void run_imbalance(Context const& ctx) {
    std::vector<double> durations;  // the inputs: read on the root only
    if (ctx.is_root()) durations = lognormal_durations_us(ctx);
    double const total_us = std::accumulate(durations.begin(), durations.end(), 0.0);
    // The default (prefetch 4: enough blocks that a worker does not run dry while the root's main
    // thread is inside a long task of its own, as it serves only between tasks), the earlier
    // default prefetch 2, and a main thread that only serves (a compute thread takes its place).
    // Their repetitions alternate, so all three see the same noise.
    struct Variant {
        std::string label;
        taskfarm::Options options;
    };
    std::vector<Variant> variants;
    variants.push_back({"", ctx.options(0)});
    if (ctx.world.size() > 1) {
        variants.push_back({" prefetch=2", ctx.options(0)});
        variants.back().options.prefetch = 2;
        variants.push_back({" serving main thread", ctx.options(0)});
        variants.back().options.root_main_thread_serves = true;
    }
    if (!ctx.trace_file.empty()) {  // a traced call is its own group: tracing costs a little
        variants.front().options.trace = ctx.trace_file;
        variants.front().label = " traced";
    }
    std::vector<std::unique_ptr<taskfarm::Farm>> farms;
    for (auto const& v : variants) farms.push_back(std::make_unique<taskfarm::Farm>(ctx.world, v.options));
    for (int rep = 0; rep < ctx.reps; ++rep) {
        for (std::size_t k = 0; k < variants.size(); ++k) {
            taskfarm::Farm& farm = *farms[k];
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
            // Where the cores went, from the farm's own statistics: a rank's idle time is its
            // threads x wall minus the time inside tasks (start, tail, serving, waits for blocks).
            taskfarm::Statistics const& stats = farm.statistics();
            double workers_idle = 0;
            for (auto const& r : stats.ranks)
                if (r.rank != 0) workers_idle += r.idle_seconds;
            Record("imbalance")
                .text("impl", "taskfarm")
                .text("config", ctx.layout() + " chunk=auto" + variants[k].label)
                .number("rep", rep)
                .number("n", static_cast<double>(durations.size()))
                .number("seconds", seconds)
                .number("nominal_efficiency", total_us * 1e-6 / ctx.cores / seconds)
                .number("utilization", stats.utilization)
                .number("root_idle_s", stats.ranks.empty() ? 0.0 : stats.ranks[0].idle_seconds)
                .number("root_wait_s", stats.ranks.empty() ? 0.0 : stats.ranks[0].wait_seconds)
                .number("workers_idle_s", workers_idle)
                .print();
        }
    }
}

}  // namespace bench
