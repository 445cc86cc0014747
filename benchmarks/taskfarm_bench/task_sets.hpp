/// @file
/// @brief The CPU-burning task sets that the parallel scenarios and the serial reference run, so
/// both run exactly the same tasks: the granularity points (n tasks of d us each) and the
/// lognormal set. Efficiency = serial wall / (cores x parallel wall), taken by the report.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "support/durations.hpp"
#include "taskfarm_bench/context.hpp"

namespace bench {

/// The task durations of the granularity scenario, in microseconds.
inline std::vector<double> granularity_durations_us(Context const& ctx) {
    return ctx.quick ? std::vector<double>{1, 100} : std::vector<double>{1, 3, 10, 30, 100, 300, 1000};
}

/// How many tasks of `us` microseconds: `ctx.work_seconds` of CPU time in all (2 s: 2 M tasks of 1 us).
inline std::uint64_t granularity_tasks(Context const& ctx, double us) {
    return static_cast<std::uint64_t>(std::max(ctx.work_seconds / (us * 1e-6), 50.0));
}

/// The name both the serial and the parallel records give a granularity point.
inline std::string granularity_set(double us, std::uint64_t n) {
    return "spin=" + std::to_string(static_cast<int>(us)) + "us n=" + std::to_string(n);
}

/// The lognormal durations (us): the shared file, or synthetic ones for the CTest smoke run.
inline std::vector<double> lognormal_durations_us(Context const& ctx) {
    return ctx.durations_file.empty() ? synthetic_durations_us(ctx.quick ? 200 : 2'000, 1000.0, 1.0)
                                      : read_durations_us(ctx.durations_file, ctx.durations_limit);
}

}  // namespace bench
