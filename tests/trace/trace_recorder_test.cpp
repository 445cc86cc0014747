// The recorder keeps every thread's blocks (no lock between them), the root's dispatches and the
// rank's waits, and its counters stay complete when events are capped or not kept at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "trace/trace_recorder.hpp"

namespace taskfarm::detail {
namespace {

TEST(TraceRecorder, KeepsEveryBlockOfSeveralThreadsRecordingAtOnce) {
    constexpr int threads = 4;
    constexpr std::uint64_t blocks_per_thread = 2000;
    TraceRecorder recorder(3, threads, true);
    std::vector<std::thread> team;
    for (int t = 0; t < threads; ++t)
        team.emplace_back([&recorder, t] {
            for (std::uint64_t b = 0; b < blocks_per_thread; ++b) {
                // Thread t runs tasks t, t + 4, ... as blocks of 1 task, 1 ms apart on a fake clock.
                double const start = static_cast<double>(b) * 1e-3;
                recorder.block(t, start, start + 5e-4, b * threads + static_cast<std::uint64_t>(t), 1);
            }
        });
    for (auto& thread : team) thread.join();
    RankTrace const trace = recorder.finish();

    EXPECT_EQ(trace.rank, 3);
    EXPECT_EQ(trace.threads, threads);
    EXPECT_EQ(trace.chunks, threads * blocks_per_thread);
    ASSERT_EQ(trace.events.size(), threads * blocks_per_thread);
    std::vector<int> seen(threads * blocks_per_thread, 0);
    for (auto const& e : trace.events) {
        EXPECT_EQ(e.kind, TraceKind::block);
        EXPECT_EQ(e.rank, 3);
        EXPECT_EQ(static_cast<int>(e.first % threads), e.thread);  // on the thread that ran it
        ++seen[e.first];
    }
    EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
    EXPECT_TRUE(std::is_sorted(trace.events.begin(), trace.events.end(),
                               [](TraceEvent const& a, TraceEvent const& b) { return a.start < b.start; }));
    ASSERT_EQ(trace.thread_counters.size(), static_cast<std::size_t>(threads));
    for (auto const& c : trace.thread_counters) {
        EXPECT_EQ(c.tasks, blocks_per_thread);
        EXPECT_NEAR(c.busy_seconds, blocks_per_thread * 5e-4, 1e-9);
    }
}

TEST(TraceRecorder, RecordsDispatchesWaitsAndBytesOfTheMainThread) {
    TraceRecorder recorder(0, 1, true);
    recorder.dispatch(0.10, 0.11, 2, 0, 16);
    recorder.sent(1000);
    recorder.wait(0.20, 0.30);
    recorder.received(48);
    recorder.received(52);
    RankTrace const trace = recorder.finish();
    ASSERT_EQ(trace.events.size(), 2u);
    EXPECT_EQ(trace.events[0], (TraceEvent{TraceKind::dispatch, 0, 0, 2, 0.10, 0.11, 0, 16}));
    EXPECT_EQ(trace.events[1], (TraceEvent{TraceKind::wait, 0, 0, -1, 0.20, 0.30, 0, 0}));
    EXPECT_EQ(trace.dispatched, 1u);
    EXPECT_NEAR(trace.wait_seconds, 0.10, 1e-12);
    EXPECT_EQ(trace.bytes_sent, 1000u);
    EXPECT_EQ(trace.messages_sent, 1u);
    EXPECT_EQ(trace.bytes_received, 100u);
    EXPECT_EQ(trace.messages_received, 2u);
}

TEST(TraceRecorder, MergesBackToBackSleepsIntoOneWait) {
    TraceRecorder::Settings settings;
    settings.wait_merge_seconds = 1e-3;
    TraceRecorder recorder(1, 1, true, settings);
    recorder.wait(1.0000, 1.0100);
    recorder.wait(1.0105, 1.0200);  // 0.5 ms later: the same idle stretch
    recorder.wait(1.5000, 1.6000);  // after work: a new wait
    RankTrace const trace = recorder.finish();
    ASSERT_EQ(trace.events.size(), 2u);
    EXPECT_DOUBLE_EQ(trace.events[0].start, 1.0);
    EXPECT_DOUBLE_EQ(trace.events[0].end, 1.02);
    EXPECT_DOUBLE_EQ(trace.events[1].start, 1.5);
    EXPECT_NEAR(trace.wait_seconds, 0.0195 + 0.1, 1e-12);  // the gap between merged sleeps was not idle time
}

TEST(TraceRecorder, CountsWhatItDropsPastTheCapAndKeepsCountersWhole) {
    TraceRecorder::Settings settings;
    settings.max_events = 10;  // 2 threads + engine lane: 3 events per lane
    TraceRecorder recorder(0, 2, true, settings);
    for (std::uint64_t i = 0; i < 8; ++i) recorder.block(static_cast<int>(i % 2), 0.1 * i, 0.1 * i + 0.05, i, 1);
    RankTrace const trace = recorder.finish();
    EXPECT_EQ(trace.events.size(), 6u);
    EXPECT_EQ(trace.dropped_events, 2u);
    EXPECT_EQ(trace.tasks(), 8u);
    EXPECT_EQ(trace.chunks, 8u);
    EXPECT_NEAR(trace.busy_seconds(), 0.4, 1e-12);
}

TEST(TraceRecorder, KeepsOnlyCountersWhenEventsAreOff) {
    TraceRecorder::Settings settings;
    settings.keep_events = false;
    TraceRecorder recorder(0, 2, true, settings);
    recorder.block(1, 0.0, 0.25, 0, 10);
    recorder.wait(0.3, 0.4);
    RankTrace const trace = recorder.finish();
    EXPECT_TRUE(trace.events.empty());
    EXPECT_EQ(trace.dropped_events, 0u);
    EXPECT_EQ(trace.thread_counters[1].tasks, 10u);
    EXPECT_NEAR(trace.wait_seconds, 0.1, 1e-12);
}

TEST(TraceRecorder, CountsABlockOfAThreadOutsideTheTeam) {
    TraceRecorder recorder(0, 2, true);
    recorder.block(7, 0.0, 1.0, 0, 5);
    RankTrace const trace = recorder.finish();
    EXPECT_EQ(trace.tasks(), 5u);
    ASSERT_EQ(trace.events.size(), 1u);
    EXPECT_EQ(trace.events[0].thread, 7);
}

TEST(TraceRecorder, MeasuresSteadyClockTimesFromItsStart) {
    TraceRecorder recorder(0, 1, true);
    auto const t0 = TraceRecorder::Clock::now();
    auto const t1 = t0 + std::chrono::milliseconds(250);
    recorder.block(0, t0, t1, 0, 1);
    RankTrace const trace = recorder.finish();
    ASSERT_EQ(trace.events.size(), 1u);
    EXPECT_GE(trace.events[0].start, 0.0);
    EXPECT_NEAR(trace.events[0].end - trace.events[0].start, 0.25, 1e-9);
    EXPECT_GE(trace.seconds, trace.events[0].start);
}

}  // namespace
}  // namespace taskfarm::detail
