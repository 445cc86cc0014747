// A synthetic farm call for the trace tests: `tasks` tasks cut into chunks of uneven sizes,
// dealt to every thread of every rank with uneven durations, with the root's dispatches and the
// workers' waits, as a merged CallTrace.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "trace/trace_event.hpp"

namespace taskfarm::detail::testing {

inline CallTrace synthetic_call(std::uint64_t tasks, int ranks, int threads, unsigned seed = 7) {
    std::mt19937 random(seed);
    std::uniform_int_distribution<std::uint64_t> chunk_size(1, 40);
    std::uniform_real_distribution<double> seconds(0.001, 0.02);
    CallTrace call;
    call.call = 0;
    call.kind = "map";
    call.tasks = tasks;
    std::vector<RankTrace> traces(static_cast<std::size_t>(ranks));
    std::vector<double> free_at(static_cast<std::size_t>(ranks * threads), 0.0);
    for (int r = 0; r < ranks; ++r) {
        traces[static_cast<std::size_t>(r)].rank = r;
        traces[static_cast<std::size_t>(r)].threads = threads;
        traces[static_cast<std::size_t>(r)].thread_counters.resize(static_cast<std::size_t>(threads));
    }
    double dispatch_clock = 0;
    for (std::uint64_t first = 0; first < tasks;) {
        std::uint64_t const count = std::min(chunk_size(random), tasks - first);
        // The slot that is free first takes the chunk, as a farm would.
        auto const slot = static_cast<std::size_t>(std::min_element(free_at.begin(), free_at.end()) - free_at.begin());
        int const rank = static_cast<int>(slot) / threads;
        int const thread = static_cast<int>(slot) % threads;
        RankTrace& r = traces[static_cast<std::size_t>(rank)];
        if (rank != 0) {
            double const sent = std::max(dispatch_clock, free_at[slot] - 0.001);
            traces[0].events.push_back({TraceKind::dispatch, 0, 0, rank, sent, sent + 1e-5, first, count});
            ++traces[0].dispatched;
            dispatch_clock = sent + 1e-5;
        }
        double const start = free_at[slot];
        double const end = start + seconds(random);
        r.events.push_back({TraceKind::block, rank, thread, -1, start, end, first, count});
        r.thread_counters[static_cast<std::size_t>(thread)].tasks += count;
        r.thread_counters[static_cast<std::size_t>(thread)].busy_seconds += end - start;
        ++r.chunks;
        free_at[slot] = end;
        first += count;
    }
    double const wall = *std::max_element(free_at.begin(), free_at.end());
    for (int r = 1; r < ranks; ++r) {
        // The tail: a worker that finished early waited for the stop.
        double const done = *std::max_element(free_at.begin() + r * threads, free_at.begin() + (r + 1) * threads);
        traces[static_cast<std::size_t>(r)].events.push_back({TraceKind::wait, r, 0, -1, done, wall, 0, 0});
        traces[static_cast<std::size_t>(r)].wait_seconds = wall - done;
    }
    for (auto& r : traces) r.seconds = wall;
    call.wall_seconds = wall;
    return merge_call(call, traces);
}

}  // namespace taskfarm::detail::testing
