// What a trace holds: the events one rank recorded during one farm call, the counters it kept
// whether or not events were kept, and a whole call as the root assembles it from every rank.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace taskfarm::detail {

enum class TraceKind : std::uint8_t {
    block = 1,     ///< tasks [first, first + count) of one chunk ran on `thread`
    dispatch = 2,  ///< the root handed chunk [first, first + count) to rank `peer`
    wait = 3,      ///< the rank's main thread idled, waiting for work or answers
};

/// One slice of time on one rank. Times are seconds since the rank entered the call, on that
/// rank's clock, until the root merges the ranks (then: on the root's clock).
struct TraceEvent {
    TraceKind kind = TraceKind::block;
    int rank = 0;
    int thread = 0;  ///< the OpenMP thread (dispatch and wait: the main thread, 0)
    int peer = -1;   ///< dispatch: the rank the chunk went to
    double start = 0;
    double end = 0;
    std::uint64_t first = 0;  ///< block, dispatch: the first task
    std::uint64_t count = 0;  ///< block, dispatch: how many tasks

    friend bool operator==(TraceEvent const&, TraceEvent const&) = default;
};

/// Work of one thread of a rank, counted even when events are not kept (or were dropped).
struct ThreadCounters {
    std::uint64_t tasks = 0;
    double busy_seconds = 0;  ///< time inside task bodies

    friend bool operator==(ThreadCounters const&, ThreadCounters const&) = default;
};

/// Everything one rank measured during one call.
struct RankTrace {
    int rank = 0;
    int threads = 1;
    bool computes = true;          ///< false: a root that only dispatches (Options::root_computes)
    double clock_offset = 0;       ///< seconds to add to this rank's times to get the root's
    double seconds = 0;            ///< how long the rank spent in the call, on its clock
    std::uint64_t chunks = 0;      ///< chunks run here
    std::uint64_t dispatched = 0;  ///< chunks handed out (the root)
    double wait_seconds = 0;       ///< main thread idle, waiting for work or answers
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_received = 0;
    std::uint64_t messages_sent = 0;
    std::uint64_t messages_received = 0;
    std::uint64_t dropped_events = 0;             ///< events not kept because the rank's cap was reached
    std::vector<ThreadCounters> thread_counters;  ///< one per thread
    std::vector<TraceEvent> events;               ///< in start-time order

    [[nodiscard]] std::uint64_t tasks() const;
    [[nodiscard]] double busy_seconds() const;  ///< summed over threads (thread-seconds)

    friend bool operator==(RankTrace const&, RankTrace const&) = default;
};

/// One farm call, every rank on the root's clock (see merge_call).
struct CallTrace {
    std::uint32_t call = 0;  ///< the farm's n-th call, from 0
    std::string kind;        ///< "map", "map_reduce", "for_each" (or empty when unknown)
    int root = 0;
    std::uint64_t tasks = 0;       ///< tasks the call had (journaled ones included)
    double wall_seconds = 0;       ///< the call's duration on the root
    std::vector<RankTrace> ranks;  ///< ordered by rank

    [[nodiscard]] int total_threads() const;
};

/// Puts the ranks' traces on the root's clock (adds each rank's clock_offset to its events and
/// sets the offset to 0), orders them by rank and each rank's events by start time.
/// Throws std::invalid_argument if a rank appears twice.
CallTrace merge_call(CallTrace header, std::vector<RankTrace> ranks);

/// Orders events by start time, keeping the recorded order of equal starts.
void sort_by_start(std::vector<TraceEvent>& events);

}  // namespace taskfarm::detail
