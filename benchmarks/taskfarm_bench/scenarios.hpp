/// @file
/// @brief The measurements of the taskfarm benchmark, one file each. Every one is collective
/// (all ranks call it), prints its records on the root, and checks every result it gets.
#pragma once

#include "taskfarm_bench/context.hpp"

namespace bench {

/// Empty tasks f(i) = i over indices(n) and a std::vector<int64_t>, chunk 1 and automatic.
void run_dispatch(Context const& ctx);
/// CPU-burning tasks of 1 us .. 1 ms, automatic chunks: wall time on all cores.
void run_granularity(Context const& ctx);
/// The lognormal task set (2000 tasks, mean 1 ms, sigma 1): wall time on all cores.
void run_imbalance(Context const& ctx);
/// The same tasks as granularity and imbalance in a plain loop on the root: the serial reference.
void run_serial(Context const& ctx);
/// Tasks returning 1 MiB each: GB/s arriving at the root.
void run_payload(Context const& ctx);
/// The root's peak RSS for map_reduce over indices(ctx.memory_n).
void run_memory(Context const& ctx);
/// The fixed cost of a farm call with 0 tasks.
void run_fixed_cost(Context const& ctx);

}  // namespace bench
