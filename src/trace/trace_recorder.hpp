// Records what one rank does during one farm call: which thread ran which chunk when, when the
// root handed chunks out, when the rank idled, and the bytes it moved. Cheap enough to leave on:
// one event per chunk, and every thread writes to its own lane (no lock, no shared cache line),
// so blocks may be recorded by the thread that ran them or by the main thread collecting them.
// Counters are kept even when events are not (statistics without a trace) or no longer are
// (past the cap).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "trace/trace_event.hpp"

namespace taskfarm::detail {

class TraceRecorder {
public:
    struct Settings {
        bool keep_events = true;  ///< false: counters only (statistics without a trace)
        /// Events kept per rank at most (split evenly between the threads and the main thread's
        /// engine lane); later ones are counted in RankTrace::dropped_events. 48 bytes each.
        std::size_t max_events = std::size_t{1} << 20;
        /// Two waits closer than this are one (the loop polls between short sleeps).
        double wait_merge_seconds = 1e-3;
    };

    /// Starts the rank's clock: construct it as the rank enters the call.
    TraceRecorder(int rank, int threads, bool computes, Settings settings);
    TraceRecorder(int rank, int threads, bool computes) : TraceRecorder(rank, threads, computes, Settings{}) {}
    TraceRecorder(TraceRecorder const&) = delete;
    TraceRecorder& operator=(TraceRecorder const&) = delete;

    using Clock = std::chrono::steady_clock;

    /// Seconds since construction. Any thread.
    [[nodiscard]] double now() const noexcept { return seconds(Clock::now()); }
    /// A steady_clock time as seconds since construction.
    [[nodiscard]] double seconds(Clock::time_point t) const noexcept {
        return std::chrono::duration<double>(t - start_).count();
    }

    /// The chunk [first, first + count) ran on `thread` (omp_get_thread_num() of the thread that
    /// ran it) from `start` to `end` (now() values). Any thread, as long as no two threads record
    /// for the same `thread` at once (the thread itself, or the main thread for all). Never throws.
    void block(int thread, double start, double end, std::uint64_t first, std::uint64_t count) noexcept;
    void block(int thread, Clock::time_point start, Clock::time_point end, std::uint64_t first,
               std::uint64_t count) noexcept {
        block(thread, seconds(start), seconds(end), first, count);
    }
    /// Main thread of the root: chunk [first, first + count) went to rank `to`; `start`..`end`
    /// covers encoding its inputs and starting the send.
    void dispatch(double start, double end, int to, std::uint64_t first, std::uint64_t count) noexcept;
    /// Main thread: the rank had nothing to run and slept from `start` to `end`.
    void wait(double start, double end) noexcept;
    /// Main thread: a message of `bytes` bytes was sent / received.
    void sent(std::size_t bytes) noexcept {
        bytes_sent_ += bytes;
        ++messages_sent_;
    }
    void received(std::size_t bytes) noexcept {
        bytes_received_ += bytes;
        ++messages_received_;
    }

    /// Main thread, once the team is done: everything recorded, events in start-time order.
    /// Call once.
    [[nodiscard]] RankTrace finish();

private:
    // One thread's events and counters, on cache lines of its own.
    struct alignas(64) Lane {
        std::vector<TraceEvent> events;
        ThreadCounters counters;
        std::uint64_t chunks = 0;
        std::uint64_t dropped = 0;
    };

    void keep(Lane& lane, TraceEvent const& event) noexcept;
    void add_block(Lane& lane, int thread, double start, double end, std::uint64_t first, std::uint64_t count) noexcept;

    Clock::time_point start_;
    int rank_;
    int threads_;
    bool computes_;
    Settings settings_;
    std::size_t lane_cap_;
    std::vector<Lane> lanes_;  // one per team thread
    Lane engine_;              // the main thread's dispatch and wait events
    std::mutex stray_mutex_;   // for a thread index outside the team (never expected)
    Lane stray_;
    std::uint64_t dispatched_ = 0;
    double wait_seconds_ = 0;
    std::uint64_t bytes_sent_ = 0;
    std::uint64_t bytes_received_ = 0;
    std::uint64_t messages_sent_ = 0;
    std::uint64_t messages_received_ = 0;
};

}  // namespace taskfarm::detail
