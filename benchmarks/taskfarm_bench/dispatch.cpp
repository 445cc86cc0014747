/// @file
/// @brief Dispatch cost: empty tasks f(i) = i, so the wall time is the farm's own overhead.
/// Over indices(n) (no input payload) and over a std::vector<std::int64_t> (8 B in, 8 B out per
/// task), with chunk size 1 (one task per message, pipelined) and automatic chunks.
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "support/bench_record.hpp"
#include "taskfarm_bench/scenarios.hpp"

namespace bench {
namespace {

std::string config_of(Context const& ctx, std::string const& input, std::size_t chunk) {
    return ctx.layout() + " " + input + " chunk=" + (chunk == 0 ? "auto" : std::to_string(chunk));
}

void print(Context const& ctx, std::string const& input, std::size_t chunk, int rep, std::size_t n, double seconds) {
    Record("dispatch")
        .text("impl", "taskfarm")
        .text("config", config_of(ctx, input, chunk))
        .number("rep", rep)
        .number("n", static_cast<double>(n))
        .number("seconds", seconds)
        .number("tasks_per_s", static_cast<double>(n) / seconds)
        .number("us_per_task", seconds / static_cast<double>(n) * 1e6)
        .print();
}

template <class Out>
void check_identity(Context const& ctx, Out const& out, std::size_t n) {
    if (!ctx.is_root()) return;
    if (out.size() != n)
        fail(ctx,
             "dispatch: map returned " + std::to_string(out.size()) + " results for " + std::to_string(n) + " tasks");
    for (std::size_t i = 0; i < n; ++i) {
        if (static_cast<std::size_t>(out[i]) != i) fail(ctx, "dispatch: result " + std::to_string(i) + " is wrong");
    }
}

void over_indices(Context const& ctx, std::size_t chunk, SizePlan plan) {
    if (!ctx.wanted(config_of(ctx, "indices", chunk))) return;
    taskfarm::Farm farm(ctx.world, ctx.options(chunk));
    auto run = [&](std::size_t n) {
        std::vector<std::size_t> out;
        double const seconds = timed(ctx,
                                     [&] { out = farm.map([](std::size_t i) { return i; }, taskfarm::indices(n)); });
        check_identity(ctx, out, n);
        return seconds;
    };
    std::size_t const n = collective_size(ctx, plan, run);
    for (int rep = 0; rep < ctx.reps; ++rep) {
        double const seconds = run(n);
        if (ctx.is_root()) print(ctx, "indices", chunk, rep, n, seconds);
    }
}

void over_vector(Context const& ctx, std::size_t chunk, SizePlan plan) {
    if (!ctx.wanted(config_of(ctx, "vector", chunk))) return;
    taskfarm::Farm farm(ctx.world, ctx.options(chunk));
    auto run = [&](std::size_t n) {
        std::vector<std::int64_t> inputs;  // read on the root only
        if (ctx.is_root()) {
            inputs.resize(n);
            std::iota(inputs.begin(), inputs.end(), std::int64_t{0});
        }
        std::vector<std::int64_t> out;
        double const seconds = timed(ctx, [&] { out = farm.map([](std::int64_t x) { return x; }, inputs); });
        check_identity(ctx, out, n);
        return seconds;
    };
    std::size_t const n = collective_size(ctx, plan, run);
    for (int rep = 0; rep < ctx.reps; ++rep) {
        double const seconds = run(n);
        if (ctx.is_root()) print(ctx, "vector", chunk, rep, n, seconds);
    }
}

}  // namespace

void run_dispatch(Context const& ctx) {
    // Sizes: automatic chunks may reach 10^8 tasks/s, chunk 1 about 10^6; the caps bound memory
    // (the results, and the vector's inputs, are 8 bytes a task on the root).
    SizePlan const automatic{ctx.quick ? 10'000u : 100'000u, 50'000'000, ctx.min_seconds};
    SizePlan const single{ctx.quick ? 1'000u : 10'000u, 5'000'000, ctx.min_seconds};
    over_indices(ctx, 0, automatic);
    over_vector(ctx, 0, automatic);
    over_indices(ctx, 1, single);
    over_vector(ctx, 1, single);
}

}  // namespace bench
