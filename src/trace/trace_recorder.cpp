#include "trace/trace_recorder.hpp"

#include <algorithm>

namespace taskfarm::detail {

TraceRecorder::TraceRecorder(int rank, int threads, bool computes, Settings settings)
    : start_(Clock::now()),
      rank_(rank),
      threads_(std::max(threads, 1)),
      computes_(computes),
      settings_(settings),
      lane_cap_(settings.keep_events ? settings.max_events / static_cast<std::size_t>(threads_ + 1) : 0),
      lanes_(static_cast<std::size_t>(threads_)) {
    // Reserve a little up front so the first chunks never reallocate mid-task.
    for (auto& lane : lanes_) lane.events.reserve(std::min<std::size_t>(lane_cap_, 1024));
}

void TraceRecorder::keep(Lane& lane, TraceEvent const& event) noexcept {
    if (lane.events.size() >= lane_cap_) {
        if (settings_.keep_events) ++lane.dropped;
        return;
    }
    try {
        lane.events.push_back(event);
    } catch (...) {  // out of memory: the trace loses an event, the call goes on
        ++lane.dropped;
    }
}

void TraceRecorder::add_block(Lane& lane, int thread, double start, double end, std::uint64_t first,
                              std::uint64_t count) noexcept {
    lane.counters.tasks += count;
    lane.counters.busy_seconds += end - start;
    ++lane.chunks;
    keep(lane, TraceEvent{TraceKind::block, rank_, thread, -1, start, end, first, count});
}

void TraceRecorder::block(int thread, double start, double end, std::uint64_t first, std::uint64_t count) noexcept {
    if (thread >= 0 && thread < threads_) {
        add_block(lanes_[static_cast<std::size_t>(thread)], thread, start, end, first, count);
        return;
    }
    std::lock_guard lock(stray_mutex_);
    add_block(stray_, thread, start, end, first, count);
}

void TraceRecorder::dispatch(double start, double end, int to, std::uint64_t first, std::uint64_t count) noexcept {
    ++dispatched_;
    keep(engine_, TraceEvent{TraceKind::dispatch, rank_, 0, to, start, end, first, count});
}

void TraceRecorder::wait(double start, double end) noexcept {
    wait_seconds_ += end - start;
    // Back-to-back sleeps of one idle stretch (the loop polls between them) are one wait.
    if (!engine_.events.empty()) {
        TraceEvent& last = engine_.events.back();
        if (last.kind == TraceKind::wait && start - last.end <= settings_.wait_merge_seconds) {
            last.end = end;
            return;
        }
    }
    keep(engine_, TraceEvent{TraceKind::wait, rank_, 0, -1, start, end, 0, 0});
}

RankTrace TraceRecorder::finish() {
    RankTrace out;
    out.rank = rank_;
    out.threads = threads_;
    out.computes = computes_;
    out.seconds = now();
    out.dispatched = dispatched_;
    out.wait_seconds = wait_seconds_;
    out.bytes_sent = bytes_sent_;
    out.bytes_received = bytes_received_;
    out.messages_sent = messages_sent_;
    out.messages_received = messages_received_;
    std::size_t total = engine_.events.size() + stray_.events.size();
    for (auto const& lane : lanes_) total += lane.events.size();
    out.events.reserve(total);
    auto take = [&out](Lane& lane) {
        out.events.insert(out.events.end(), lane.events.begin(), lane.events.end());
        out.dropped_events += lane.dropped;
        out.chunks += lane.chunks;
        lane = Lane{};
    };
    for (auto& lane : lanes_) {
        out.thread_counters.push_back(lane.counters);
        take(lane);
    }
    // A stray thread's work still counts, as the last thread's.
    out.thread_counters.back().tasks += stray_.counters.tasks;
    out.thread_counters.back().busy_seconds += stray_.counters.busy_seconds;
    take(stray_);
    take(engine_);
    sort_by_start(out.events);
    return out;
}

}  // namespace taskfarm::detail
