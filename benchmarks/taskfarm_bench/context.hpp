/// @file
/// @brief What every taskfarm scenario shares: the run's settings, how to time a collective call,
/// and how to stop the whole job when a result is wrong.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <boost/mpi/collectives/broadcast.hpp>
#include <boost/mpi/communicator.hpp>

#include <taskfarm/taskfarm.hpp>

#include "support/calibrate.hpp"

namespace bench {

struct Context {
    boost::mpi::communicator world;
    int reps = 3;
    bool quick = false;          ///< tiny sizes: a smoke run that checks results, not speed
    double min_seconds = 0.25;   ///< shortest timed run when a size is calibrated
    double cores = 2;            ///< the cores efficiency is measured against (the machine's)
    int threads = 1;             ///< OpenMP threads per rank
    std::string durations_file;  ///< lognormal durations; synthetic ones when empty
    std::size_t durations_limit = 0;
    std::size_t memory_n = 100'000;
    std::string trace_file;         ///< Options.trace for the imbalance scenario (empty: none)
    double work_seconds = 2.0;      ///< CPU time of each granularity point's tasks, all together
    std::string only;               ///< dispatch, payload: run only the configurations whose name holds this
    int prefetch = 0;               ///< Options.prefetch of every farm (0: the library's default)
    std::size_t payload_chunk = 0;  ///< payload: chunk size (0: automatic, sizes then follow timing)

    [[nodiscard]] bool is_root() const { return world.rank() == 0; }
    /// Whether the configuration named `config` is to run (--only; every rank decides alike).
    [[nodiscard]] bool wanted(std::string const& config) const {
        return only.empty() || config.find(only) != std::string::npos;
    }
    /// "2x1": ranks x threads per rank.
    [[nodiscard]] std::string layout() const { return std::to_string(world.size()) + "x" + std::to_string(threads); }
    [[nodiscard]] taskfarm::Options options(std::size_t chunk_size, bool root_computes = true) const {
        taskfarm::Options opt;
        opt.chunk_size = chunk_size;
        opt.threads = threads;
        opt.root_computes = root_computes;
        if (prefetch > 0) opt.prefetch = prefetch;
        return opt;
    }
};

/// Runs a collective call after a barrier (so every rank starts together) and returns its wall
/// time on the root.
template <class Call>
double timed(Context const& ctx, Call&& call) {
    ctx.world.barrier();
    auto const start = std::chrono::steady_clock::now();
    call();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// calibrated_size for a collective run: the root decides, every rank follows.
template <class Run>
std::size_t collective_size(Context const& ctx, SizePlan plan, Run&& run) {
    if (ctx.quick) plan.n_max = std::min(plan.n_max, plan.n_start);
    return calibrated_size(plan, run, [&](std::size_t n) {
        boost::mpi::broadcast(ctx.world, n, 0);
        return n;
    });
}

/// A wrong result ends the whole job with a message (other ranks would otherwise wait forever
/// in the next collective call).
[[noreturn]] void fail(Context const& ctx, std::string const& what);

}  // namespace bench
