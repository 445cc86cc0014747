// The real root loop driven through a fake Channel: scripted workers answer its blocks (or fail
// tasks, catch a signal, never join), with no MPI at all. Every task is checked against a serial
// reference, and every worker's Stop is checked.
#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <deque>
#include <map>
#include <set>

#include "engine/channel.hpp"
#include "engine/root_loop.hpp"

using namespace taskfarm;
using namespace taskfarm::detail;

namespace {

std::uint64_t reference(std::uint64_t task) { return task * task + 1; }

// map of task -> reference(task), raw uint64 results; inputs are the task indices themselves.
class SquareJob final : public Job {
public:
    explicit SquareJob(std::uint64_t n) : results(n, 0), accepted(n, 0) {}
    std::uint64_t size() const override { return results.size(); }
    char const* call_kind() const override { return "map"; }
    std::string result_type() const override { return "u64"; }
    char const* codec() const override { return "raw"; }
    std::uint64_t type_id() const override { return 42; }
    void encode_inputs(std::uint64_t, std::uint64_t, Bytes&) override {}
    void run_block(std::uint64_t first, std::uint64_t count, ByteView, Bytes& out, FailureList& failures,
                   Team&) override {
        for (std::uint64_t t = first; t < first + count; ++t) {
            if (t == root_fails) failures.add(t, "fails on the root");
            append(out, reference(t));
        }
    }
    void accept_results(std::uint64_t first, std::uint64_t count, ByteView bytes,
                        std::span<std::uint64_t const> skip) override {
        ASSERT_EQ(bytes.size(), count * sizeof(std::uint64_t));
        for (std::uint64_t k = 0; k < count; ++k) {
            if (std::find(skip.begin(), skip.end(), first + k) != skip.end()) continue;
            std::memcpy(&results[first + k], bytes.data() + k * sizeof(std::uint64_t), sizeof(std::uint64_t));
            ++accepted[first + k];
        }
    }
    static void append(Bytes& out, std::uint64_t value) {
        auto const at = out.size();
        out.resize(at + sizeof value);
        std::memcpy(out.data() + at, &value, sizeof value);
    }
    std::vector<std::uint64_t> results;
    std::vector<int> accepted;
    std::uint64_t root_fails = ~std::uint64_t{0};
};

// Workers as scripts. Each answers a Block at once (or holds it, answering `dropped` on a Drain),
// may fail chosen tasks, may hold a signal when it joins, may never join.
class FakeChannel final : public Channel {
public:
    struct Sent {
        int to;
        MessageKind kind;
        std::uint64_t first, count;
        CallStatus status;
        std::vector<TaskFailure> failures;
    };
    struct Worker {
        bool joins = true;
        bool holds = false;      // keeps blocks unanswered until a Drain
        int signal = 0;          // carried in its Join
        std::uint32_t call = 1;  // the call it is in
        CallStatus answers = CallStatus::ok;
        std::vector<Header> held;
    };
    FakeChannel(int size, std::uint32_t call) : workers(static_cast<std::size_t>(size)), call_(call) {}
    void start() {  // the workers' Joins, as they would arrive first
        for (std::size_t w = 1; w < workers.size(); ++w) {
            if (!workers[w].joins) continue;
            Header join{MessageKind::join, workers[w].call};
            join.job_type = static_cast<std::uint64_t>(workers[w].signal);
            reply(static_cast<int>(w), join, {}, {});
        }
    }

    void send(int dest, int tag, Bytes&& message) override {
        MessageView const m = parse_message(message);
        sent.push_back({dest, m.header.kind, m.header.first, m.header.count, m.header.status, m.failures});
        EXPECT_EQ(tag, FarmTags{}.block);
        Worker& w = workers[static_cast<std::size_t>(dest)];
        if (m.header.kind == MessageKind::drain) {
            for (Header h : w.held) answer_dropped(dest, h);
            w.held.clear();
        }
        if (m.header.kind != MessageKind::block) return;
        if (w.holds || w.signal != 0) {
            if (w.signal != 0) return answer_dropped(dest, m.header);  // a worker with a signal runs nothing
            w.held.push_back(m.header);
            return;
        }
        Header result{MessageKind::result, m.header.call, m.header.first, m.header.count};
        result.status = w.answers;
        std::vector<TaskFailure> failures;
        Bytes payload;
        for (auto t = m.header.first; t < m.header.first + m.header.count; ++t) {
            if (fail_first.count(t) && !first_try.count(t)) first_try[t] = dest;
            if (fail_on.count({t, dest}) || (fail_first.count(t) && first_try[t] == dest && !retried(t)))
                failures.push_back({t, dest, "task " + std::to_string(t) + " threw on " + std::to_string(dest)});
            SquareJob::append(payload, reference(t));
        }
        if (w.answers != CallStatus::ok) failures = {{m.header.first, dest, "inputs did not decode"}}, payload.clear();
        reply(dest, result, payload, failures);
    }
    void send_result(int, FarmTags const&, Bytes&&) override { ADD_FAILURE() << "the root sends no results"; }
    std::optional<Received> try_receive(int source, int tag) override {
        EXPECT_EQ(source, kAnySource);
        EXPECT_EQ(tag, FarmTags{}.result);
        if (inbox_.empty()) return std::nullopt;
        Received r = std::move(inbox_.front());
        inbox_.pop_front();
        return r;
    }
    std::size_t start_receive(int, int, std::span<std::byte>) override {
        ADD_FAILURE() << "no split results here";
        return 0;
    }
    bool receive_done(std::size_t) override { return true; }
    void cancel_receives() override {}
    bool progress_sends() override { return true; }
    bool wait_sends_for(std::chrono::duration<double>) override { return true; }
    void abandon_sends() override {}
    Bytes take_buffer() override { return {}; }
    void give_buffer(Bytes&&) override {}

    std::vector<Sent> sent_to(int rank, MessageKind kind) const {
        std::vector<Sent> out;
        for (auto const& s : sent)
            if (s.to == rank && s.kind == kind) out.push_back(s);
        return out;
    }
    std::vector<Worker> workers;
    std::set<std::pair<std::uint64_t, int>> fail_on;  // (task, rank): that task throws there
    std::set<std::uint64_t> fail_first;               // these throw on their first attempt, wherever
    std::map<std::uint64_t, int> first_try;           // where each of them ran first
    bool retried(std::uint64_t task) const {
        int blocks = 0;
        for (auto const& s : sent)
            blocks += s.kind == MessageKind::block && s.first <= task && task < s.first + s.count;
        return blocks > 1;
    }
    std::vector<Sent> sent;

private:
    void answer_dropped(int dest, Header const& block) {
        Header result{MessageKind::result, block.call, block.first, block.count};
        result.status = CallStatus::dropped;
        reply(dest, result, {}, {});
    }
    void reply(int from, Header header, Bytes const& payload, std::vector<TaskFailure> const& failures) {
        Bytes bytes;
        MessageBuilder message(bytes);
        message.payload().insert(message.payload().end(), payload.begin(), payload.end());
        message.finish(header, failures);
        inbox_.push_back({from, std::move(bytes)});
    }
    std::uint32_t call_;
    std::deque<Received> inbox_;
};

struct Farm {
    FarmCore core;
    FakeChannel channel;
    explicit Farm(int size, int threads = 1) : channel(size, 1) {
        core.size = size;
        core.threads = threads;
        core.rank_threads.assign(static_cast<std::size_t>(size), threads);
        core.calls = 1;
        core.options.statistics = false;  // the trace gather is a collective: not without MPI
        core.options.chunk_size = 3;
        core.options.join_timeout_seconds = 30;
    }
    void run(SquareJob& job) {
        channel.start();
        run_root(core, job, channel);
    }
};

void expect_every_task_once(SquareJob const& job) {
    for (std::uint64_t t = 0; t < job.results.size(); ++t) {
        EXPECT_EQ(job.accepted[t], 1) << "task " << t;
        EXPECT_EQ(job.results[t], reference(t)) << "task " << t;
    }
}

void expect_stops(FakeChannel const& channel, int size, CallStatus status) {
    for (int w = 1; w < size; ++w) {
        auto const stops = channel.sent_to(w, MessageKind::stop);
        ASSERT_EQ(stops.size(), 1u) << "rank " << w;
        EXPECT_EQ(stops[0].status, status) << "rank " << w;
        EXPECT_EQ(channel.sent.back().kind, MessageKind::stop);
    }
}

}  // namespace

TEST(RootLoopFake, EveryTaskOnceAcrossRootAndWorkers) {
    for (bool root_computes : {true, false}) {
        Farm farm(4);
        farm.core.options.root_computes = root_computes;
        SquareJob job(500);
        farm.run(job);
        expect_every_task_once(job);
        expect_stops(farm.channel, 4, CallStatus::ok);
        for (int w = 1; w < 4; ++w) EXPECT_FALSE(farm.channel.sent_to(w, MessageKind::block).empty()) << w;
    }
}

TEST(RootLoopFake, AloneTheRootRunsEverything) {
    Farm farm(1, 2);
    farm.core.options.root_computes = false;  // alone it computes anyway
    SquareJob job(100);
    farm.run(job);
    expect_every_task_once(job);
    EXPECT_TRUE(farm.channel.sent.empty());
}

TEST(RootLoopFake, ATaskThatThrowsIsRetriedOnAnotherRank) {
    Farm farm(3);
    farm.core.options.root_computes = false;
    farm.core.options.retries = 2;
    farm.channel.fail_first = {10, 11, 40};
    SquareJob job(60);
    farm.run(job);
    expect_every_task_once(job);
    // Each threw where it ran first; its retry went alone to the other rank.
    for (std::uint64_t t : {10, 11, 40}) {
        ASSERT_TRUE(farm.channel.first_try.count(t)) << t;
        int const other = 3 - farm.channel.first_try.at(t);
        bool retried_there = false;
        for (auto const& s : farm.channel.sent_to(other, MessageKind::block))
            retried_there |= s.first == t && s.count == 1;
        EXPECT_TRUE(retried_there) << "task " << t;
    }
    expect_stops(farm.channel, 3, CallStatus::ok);
}

TEST(RootLoopFake, OutOfRetriesEveryRankGetsTheTaskError) {
    Farm farm(3);
    farm.core.options.retries = 1;
    farm.channel.fail_on = {{7, 1}, {7, 2}};
    SquareJob job(30);
    job.root_fails = 7;  // and on the root: nowhere left
    try {
        farm.run(job);
        FAIL() << "no TaskError";
    } catch (TaskError const& e) {
        ASSERT_EQ(e.failures().size(), 1u);
        EXPECT_EQ(e.index(), 7u);
        EXPECT_NE(std::string(e.what()).find("task 7"), std::string::npos) << e.what();
    }
    for (std::uint64_t t = 0; t < 30; ++t) EXPECT_EQ(job.accepted[t], t == 7 ? 0 : 1) << t;
    expect_stops(farm.channel, 3, CallStatus::task_failed);
    EXPECT_EQ(farm.channel.sent_to(1, MessageKind::stop)[0].failures.at(0).index, 7u);
}

TEST(RootLoopFake, AWorkersSignalDrainsEveryoneAndEndsInterrupted) {
    Farm farm(3);
    farm.core.options.root_computes = false;
    farm.channel.workers[1].signal = SIGTERM;  // caught before the call: in its Join
    farm.channel.workers[2].holds = true;      // its blocks are queued, not started
    SquareJob job(40);
    try {
        farm.run(job);
        FAIL() << "no Interrupted";
    } catch (Interrupted const& e) {
        EXPECT_EQ(e.signal(), SIGTERM);
        EXPECT_EQ(e.tasks_done(), 0u);
        EXPECT_EQ(e.task_count(), 40u);
        EXPECT_NE(std::string(e.what()).find("no journal was set"), std::string::npos) << e.what();
    }
    for (int w = 1; w < 3; ++w) {
        ASSERT_EQ(farm.channel.sent_to(w, MessageKind::drain).size(), 1u) << w;
        // No block goes out after the Drain.
        bool drained = false;
        for (auto const& s : farm.channel.sent) {
            if (s.to != w) continue;
            if (s.kind == MessageKind::drain) drained = true;
            EXPECT_FALSE(drained && s.kind == MessageKind::block) << "block after the drain to " << w;
        }
    }
    expect_stops(farm.channel, 3, CallStatus::interrupted);
}

TEST(RootLoopFake, ARankThatNeverJoinsIsNamed) {
    Farm farm(3);
    farm.core.options.join_timeout_seconds = 0.2;
    farm.channel.workers[2].joins = false;
    farm.channel.workers[2].holds = true;
    SquareJob job(50);
    try {
        farm.run(job);
        FAIL() << "no UsageError";
    } catch (UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("rank 2 did not join this map call within 0.2 s"), std::string::npos)
            << e.what();
    }
    expect_stops(farm.channel, 3, CallStatus::usage_error);
}

TEST(RootLoopFake, ARankInAnotherCallIsAUsageError) {
    Farm farm(2);
    farm.channel.workers[1].call = 2;
    farm.channel.workers[1].holds = true;
    farm.core.options.join_timeout_seconds = 0.2;  // its blocks of call 1 would never be answered
    SquareJob job(20);
    try {
        farm.run(job);
        FAIL() << "no UsageError";
    } catch (UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find("rank 1 is in its farm call #2 while the root is in #1"),
                  std::string::npos)
            << e.what();
    }
}

TEST(RootLoopFake, ABlockThatCouldNotRunFailsTheCallNamingRankAndTasks) {
    Farm farm(2);
    farm.core.options.root_computes = false;
    farm.channel.workers[1].answers = CallStatus::block_failed;
    SquareJob job(9);
    try {
        farm.run(job);
        FAIL() << "no Error";
    } catch (UsageError const&) {
        FAIL() << "not a usage error";
    } catch (Error const& e) {
        EXPECT_NE(std::string(e.what()).find("rank 1 could not run tasks [0, 3): inputs did not decode"),
                  std::string::npos)
            << e.what();
    }
    expect_stops(farm.channel, 2, CallStatus::root_failed);
}
