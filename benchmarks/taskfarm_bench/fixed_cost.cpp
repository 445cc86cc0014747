/// @file
/// @brief The fixed cost of a farm call: map over indices(0), start to end, averaged over many
/// calls (one call is too short to time on its own).
#include <string>

#include "support/bench_record.hpp"
#include "taskfarm_bench/scenarios.hpp"

namespace bench {

void run_fixed_cost(Context const& ctx) {
    taskfarm::Farm farm(ctx.world, ctx.options(0));
    auto const identity = [](std::size_t i) { return i; };
    int const calls = ctx.quick ? 20 : 2000;
    for (int i = 0; i < calls / 10; ++i) (void)farm.map(identity, taskfarm::indices(0));  // warm up
    for (int rep = 0; rep < ctx.reps; ++rep) {
        std::size_t results = 0;
        double const seconds = timed(ctx, [&] {
            for (int i = 0; i < calls; ++i) results += farm.map(identity, taskfarm::indices(0)).size();
        });
        if (!ctx.is_root()) continue;
        if (results != 0) fail(ctx, "fixed cost: a call with 0 tasks returned results");
        Record("fixed_cost")
            .text("impl", "taskfarm")
            .text("config", ctx.layout() + " map indices(0)")
            .number("rep", rep)
            .number("calls", calls)
            .number("us_per_call", seconds / calls * 1e6)
            .print();
    }
}

}  // namespace bench
