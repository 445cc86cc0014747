/// @file
/// @brief Root memory: peak RSS (VmHWM) of the root for map_reduce over indices(n). Peak RSS only
/// grows, so each n runs in its own process (run.sh starts one per n); the figure before the call
/// (after a small warm-up call) separates the farm's growth from MPI's own footprint.
#include <cstdint>
#include <functional>
#include <string>

#include "support/bench_record.hpp"
#include "support/peak_rss.hpp"
#include "taskfarm_bench/scenarios.hpp"

namespace bench {

void run_memory(Context const& ctx) {
    taskfarm::Farm farm(ctx.world, ctx.options(0));
    auto const identity = [](std::size_t i) { return std::uint64_t{i}; };
    std::uint64_t const warm = farm.map_reduce(identity, std::plus<>{}, taskfarm::indices(1000), std::uint64_t{0});
    if (ctx.is_root() && warm != 999u * 1000u / 2u) fail(ctx, "memory: warm-up sum is wrong");
    double const before = peak_rss_bytes();

    std::uint64_t const n = ctx.memory_n;
    std::uint64_t sum = 0;
    double const seconds = timed(
        ctx, [&] { sum = farm.map_reduce(identity, std::plus<>{}, taskfarm::indices(n), std::uint64_t{0}); });
    double const peak = peak_rss_bytes();
    if (!ctx.is_root()) return;
    if (sum != (n == 0 ? 0 : n * (n - 1) / 2)) fail(ctx, "memory: map_reduce sum is wrong");
    char n_text[32];
    std::snprintf(n_text, sizeof n_text, "%.0e", static_cast<double>(n));
    Record("memory")
        .text("impl", "taskfarm")
        .text("config", ctx.layout() + " map_reduce indices n=" + n_text)
        .number("rep", 0)
        .number("n", static_cast<double>(n))
        .number("seconds", seconds)
        .number("baseline_rss_mb", before / 1e6)
        .number("peak_rss_mb", peak / 1e6)
        .number("tasks_per_s", static_cast<double>(n) / seconds)
        .print();
}

}  // namespace bench
