// The root's decisions without MPI: scripted joins, answers, failures, signals and deadlines.
#include <gtest/gtest.h>

#include <csignal>
#include <set>

#include "engine/root_scheduler.hpp"

using namespace taskfarm;
using namespace taskfarm::detail;
using Clock = RootScheduler::Clock;

namespace {
Options fixed_chunks(std::uint64_t size) {
    Options options;
    options.chunk_size = size;
    options.prefetch = 2;
    return options;
}

std::string error_of(CallOutcome const& outcome) {
    EXPECT_TRUE(outcome.error != nullptr);
    return outcome.message();
}
}  // namespace

TEST(RootScheduler, FirstRoundGivesEveryWorkerThreadPrefetchBlocks) {
    RootScheduler s(fixed_chunks(1), {1, 1, 2}, 100);
    EXPECT_EQ(s.first_round(), (std::vector<int>{1, 2, 2, 1, 2, 2}));  // the root (0) is fed locally
}

// A sub-master keeps twice prefetch group blocks, each sized for all its group's threads: one
// half is cut into pieces while the other drains from its workers' queues.
TEST(RootScheduler, SubMastersGetTwicePrefetchBlocksEachSizedForTheirGroup) {
    RootScheduler s(fixed_chunks(3), {1, 4, 2}, 1000, Clock::now(), true);
    EXPECT_EQ(s.first_round(), (std::vector<int>{1, 2, 1, 2, 1, 2, 1, 2}));
    EXPECT_EQ(s.next_for(1)->count, 12u);  // 3 per thread of a group of 4 threads
    EXPECT_EQ(s.next_for(2)->count, 6u);
}

TEST(RootScheduler, HandsOutEveryTaskOnceInOrderAndEndsWhenAllIsAnswered) {
    RootScheduler s(fixed_chunks(7), {1, 1, 1}, 100);
    s.joined(1);
    s.joined(2);
    std::set<std::uint64_t> seen;
    std::uint64_t next = 0;
    int rank = 1;
    while (auto range = s.next_for(rank)) {
        EXPECT_EQ(range->first, next);
        EXPECT_LE(range->count, 7u);
        for (auto t = range->first; t < range->first + range->count; ++t) EXPECT_TRUE(seen.insert(t).second);
        next += range->count;
        s.sent(rank);
        EXPECT_FALSE(s.finished(Clock::now(), true));  // a block is out
        s.answered(rank);
        s.accepted(range->first, range->count, {}, {});
        rank = 3 - rank;
    }
    EXPECT_EQ(seen.size(), 100u);
    EXPECT_EQ(s.done(), 100u);
    EXPECT_TRUE(s.finished(Clock::now(), true));
    EXPECT_FALSE(s.finished(Clock::now(), false)) << "the root's own threads still hold a block";
    EXPECT_TRUE(s.outcome(false).ok());
}

TEST(RootScheduler, RootComputesUnlessTold) {
    Options options = fixed_chunks(10);
    RootScheduler computing(options, {1, 1}, 20);
    EXPECT_TRUE(computing.can_compute());
    ASSERT_TRUE(computing.next_local().has_value());
    options.root_computes = false;
    RootScheduler serving(options, {1, 1}, 20);
    EXPECT_FALSE(serving.can_compute());
    EXPECT_FALSE(serving.next_local().has_value());
    RootScheduler alone(options, {1}, 20);  // a rank alone computes whatever the option says
    EXPECT_TRUE(alone.can_compute());
}

TEST(RootScheduler, NotFinishedUntilEveryRankHasJoined) {
    RootScheduler s(fixed_chunks(10), {1, 1, 1}, 10);
    auto range = s.next_local();
    ASSERT_TRUE(range);
    s.accepted(range->first, range->count, {}, {});
    s.joined(1);
    EXPECT_EQ(s.missing(), 1);
    EXPECT_FALSE(s.finished(Clock::now(), true)) << "rank 2 would miss the Stop";
    s.joined(2);
    s.joined(2);  // a second Join changes nothing
    EXPECT_EQ(s.missing(), 0);
    EXPECT_TRUE(s.finished(Clock::now(), true));
}

TEST(RootScheduler, RanksThatMissTheJoinDeadlineAreNamedAndWrittenOff) {
    Options options = fixed_chunks(5);
    options.join_timeout_seconds = 2;
    auto const start = Clock::now();
    RootScheduler s(options, {1, 1, 1, 1}, 50, start);
    s.joined(2);
    s.sent(1);
    s.sent(3);
    EXPECT_FALSE(s.give_up_if_overdue(start + std::chrono::seconds(1), "map"));
    EXPECT_TRUE(s.give_up_if_overdue(start + std::chrono::seconds(3), "map"));
    EXPECT_TRUE(s.gone(1));
    EXPECT_TRUE(s.gone(3));
    EXPECT_FALSE(s.gone(2));
    EXPECT_EQ(s.in_flight(), 0) << "nothing is waited for from them";
    EXPECT_TRUE(s.answers_may_remain());
    EXPECT_FALSE(s.next_for(1).has_value());
    CallOutcome const outcome = s.outcome(false);
    EXPECT_EQ(outcome.status, CallStatus::usage_error);
    EXPECT_NE(error_of(outcome).find("ranks 1, 3 did not join this map call within 2 s"), std::string::npos)
        << outcome.message();
    s.answered(1);  // a late answer from a rank written off is ignored
    EXPECT_EQ(s.in_flight(), 0);
}

TEST(RootScheduler, AWorkerThatLeftFailsTheCall) {
    RootScheduler s(fixed_chunks(5), {1, 1}, 50);
    s.joined(1);
    s.sent(1);
    s.left(1, "for_each");
    EXPECT_TRUE(s.stopping());
    EXPECT_EQ(s.in_flight(), 0);
    EXPECT_NE(s.outcome(false).message().find("rank 1 gave up waiting for the root to join this for_each call"),
              std::string::npos);
}

TEST(RootScheduler, AFailedTaskIsRetriedOnAnotherRankOnly) {
    Options options = fixed_chunks(10);
    options.retries = 1;
    options.root_computes = false;
    RootScheduler s(options, {1, 1, 1}, 10);
    s.joined(1);
    s.joined(2);
    auto const block = s.next_for(1);
    ASSERT_TRUE(block);
    s.sent(1);
    s.answered(1);
    std::vector<TaskFailure> const failed{{4, 1, "boom"}};
    auto const skip = s.skipped(block->first, block->count, failed);
    EXPECT_EQ(skip, (std::vector<std::uint64_t>{4}));
    s.accepted(block->first, block->count, skip, failed);
    EXPECT_EQ(s.done(), 9u);
    EXPECT_EQ(s.ranks_for_retries(), (std::vector<int>{2}));
    EXPECT_FALSE(s.next_for(1).has_value()) << "not where it failed";
    auto const retry = s.next_for(2);
    ASSERT_TRUE(retry);
    EXPECT_EQ(*retry, (TaskRange{4, 1}));
    s.sent(2);
    s.answered(2);
    s.accepted(4, 1, {}, {});
    EXPECT_EQ(s.done(), 10u);
    EXPECT_TRUE(s.finished(Clock::now(), true));
    EXPECT_TRUE(s.outcome(false).ok());
}

TEST(RootScheduler, ATaskOutOfRetriesFailsTheCallWithItsRecord) {
    Options options = fixed_chunks(10);
    options.retries = 0;
    options.on_error = OnError::collect;
    RootScheduler s(options, {1}, 10);
    auto const block = s.next_local();
    std::vector<TaskFailure> const failed{{3, 0, "bad input"}};
    s.accepted(block->first, block->count, s.skipped(block->first, block->count, failed), failed);
    EXPECT_FALSE(s.stopping()) << "on_error=collect runs the rest";
    EXPECT_TRUE(s.finished(Clock::now(), true));
    CallOutcome const outcome = s.outcome(false);
    EXPECT_EQ(outcome.status, CallStatus::task_failed);
    ASSERT_EQ(outcome.failures.size(), 1u);
    EXPECT_EQ(outcome.failures[0].index, 3u);
    EXPECT_EQ(outcome.failures[0].message, "bad input");
}

TEST(RootScheduler, OnErrorStopHandsOutNothingAfterAFailure) {
    Options options = fixed_chunks(2);
    options.retries = 0;
    options.on_error = OnError::stop;
    RootScheduler s(options, {1, 1}, 10);
    s.joined(1);
    auto const block = s.next_for(1);
    s.sent(1);
    s.answered(1);
    std::vector<TaskFailure> const failed{{0, 1, "x"}};
    s.accepted(block->first, block->count, s.skipped(block->first, block->count, failed), failed);
    EXPECT_TRUE(s.stopping());
    EXPECT_FALSE(s.next_for(1).has_value());
    EXPECT_FALSE(s.can_compute());
    EXPECT_TRUE(s.finished(Clock::now(), true));
    EXPECT_EQ(s.outcome(false).status, CallStatus::task_failed);
}

TEST(RootScheduler, ASignalStopsTheHandOutAndTheGraceBoundsTheWait) {
    Options options = fixed_chunks(1);
    options.interrupt_grace_seconds = 5;
    auto const start = Clock::now();
    RootScheduler s(options, {1, 1}, 10, start);
    s.joined(1);
    s.next_for(1);
    s.sent(1);
    EXPECT_TRUE(s.interrupt(SIGTERM, start));
    EXPECT_FALSE(s.interrupt(SIGINT, start)) << "the first signal is the one";
    EXPECT_EQ(s.interrupted(), SIGTERM);
    EXPECT_FALSE(s.next_for(1).has_value());
    EXPECT_FALSE(s.finished(start + std::chrono::seconds(1), true)) << "a block is still running";
    EXPECT_TRUE(s.finished(start + std::chrono::seconds(6), true)) << "grace spent";
    CallOutcome const outcome = s.outcome(true);
    EXPECT_EQ(outcome.status, CallStatus::interrupted);
    EXPECT_EQ(outcome.signal, SIGTERM);
    EXPECT_EQ(outcome.done, 0u);
    EXPECT_EQ(outcome.tasks, 10u);
    EXPECT_NE(outcome.message().find("run again with the same journal to resume"), std::string::npos);
    EXPECT_NE(s.outcome(false).message().find("no journal was set"), std::string::npos);
}

TEST(RootScheduler, TheFirstErrorWinsAndAUsageErrorStaysOne) {
    RootScheduler s(fixed_chunks(1), {1, 1}, 10);
    s.fail(std::make_exception_ptr(UsageError("first")));
    s.fail(std::make_exception_ptr(std::runtime_error("second")));
    EXPECT_TRUE(s.stopping());
    CallOutcome const outcome = s.outcome(false);
    EXPECT_EQ(outcome.status, CallStatus::usage_error);
    EXPECT_EQ(outcome.message(), "first");
    RootScheduler t(fixed_chunks(1), {1}, 1);
    EXPECT_FALSE(t.guarded([] { throw std::runtime_error("in a sink"); }));
    EXPECT_EQ(t.outcome(false).status, CallStatus::root_failed);
    EXPECT_EQ(t.outcome(false).message(), "in a sink");
}
