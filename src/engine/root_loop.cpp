// The root's side of a call: it moves the messages, and the scheduler (root_scheduler.hpp)
// decides. Every worker thread is kept `prefetch` blocks ahead and each result is answered with
// the next block; the root's own threads take blocks from a local queue (its main thread runs
// blocks too, serving messages between sub-ranges), and it waits with a sleeping back-off when it
// has nothing to do. The journal, progress and trace are sinks it notifies (call_sinks.hpp). At
// the end every worker hears the outcome in a Stop, and every rank throws it (call_outcome.hpp).
#include "engine/root_loop.hpp"

#include <chrono>
#include <optional>

#include "engine/backoff.hpp"
#include "engine/block_pool.hpp"
#include "engine/interrupt.hpp"
#include "engine/payload_receiver.hpp"
#include "engine/root_scheduler.hpp"
#include "engine/root_work.hpp"
#include "engine/transport.hpp"

namespace taskfarm::detail {

namespace {

using Clock = std::chrono::steady_clock;

class RootLoop {
public:
    RootLoop(FarmCore& core, Job& job, Channel& channel)
        : core_(core),
          job_(job),
          channel_(channel),
          schedule_(core.options, core.rank_threads, job.size(), Clock::now(), core.leads_groups),
          recorder_(core.farm_rank(), core.threads, core.options.root_computes || core.size == 1,
                    TraceRecorder::Settings{.keep_events = !core.options.trace.empty()}),
          payloads_(channel, core.tags.payload),
          work_(core, job, schedule_, recorder_),
          // The main thread runs blocks too, polling between tasks, unless told to serve only
          // (long tasks: a task of its own would keep the workers waiting for their next).
          pool_(
              job, core.threads, [this] { service(); }, 0, core.size == 1 || !core.options.root_main_thread_serves) {}

    void run() {
        schedule_.set_rank_map(core_.level_of_farm_rank);
        schedule_.set_rank_names(&core_.farm_ranks);
        // Opening the journal may wait for its lock (Options.journal_lock_wait_seconds): tell the
        // workers first that the root is in the call, so none gives up on it meanwhile.
        bool const journaled = !core_.options.journal.empty();
        if (journaled) for_each_worker([&](int w) { send(w, MessageKind::open); });
        work_.resume();
        take_signal();  // one held since before the call (or the last one) stops it before any task runs
        for (int w : schedule_.first_round()) dispatch(w);
        // Every worker hears from the root at once, so one waiting for a root that never joins can
        // tell (the Drain of an interrupt says it too).
        if (!journaled && schedule_.interrupted() == 0)
            for_each_worker([&](int w) {
                if (schedule_.outstanding(w) == 0) send(w, MessageKind::open);
            });
        pool_.run([this] { schedule_.guarded([this] { drive(); }); });
        finish();
    }

private:
    // The main thread's loop while the pool's other threads run the root's own blocks. A driver
    // that does not compute sleeps longer: every wake-up takes a core from a thread that computes.
    void drive() {
        Backoff backoff(std::chrono::microseconds(pool_.driver_runs_blocks() ? 250 : 500));
        for (;;) {
            bool const progressed = service();
            schedule_.give_up_if_overdue(Clock::now(), job_.call_kind());
            for (int w : schedule_.ranks_for_retries()) dispatch(w);
            if (schedule_.stopping()) pool_.drop_queued();  // not started: pending in the journal, or moot
            if (pool_.run_one() || progressed) {
                backoff.reset();
            } else if (schedule_.finished(Clock::now(), pool_.in_hand() == 0)) {
                return;
            } else {
                work_.idle();
                double const since = recorder_.now();
                backoff.pause();
                recorder_.wait(since, recorder_.now());
            }
        }
    }

    // Takes every message that has arrived and answers it; true if anything happened.
    bool service() {
        take_signal();
        bool progressed = false;
        while (auto received = channel_.try_receive(kAnySource, core_.tags.result)) {
            progressed = true;
            recorder_.received(received->bytes.size());
            schedule_.guarded([&] { handle(received->source, parse_message(received->bytes)); });
            channel_.give_buffer(std::move(received->bytes));
        }
        progressed |= payloads_.take([this](int w, MessageView const& m) { arrived(w, m); });
        for (; auto done = pool_.pop_finished(); progressed = true) work_.collect_local(*done);
        // Keeps one block queued per root thread, so a thread that finishes finds the next at once.
        while (pool_.queued() < static_cast<std::size_t>(core_.threads))
            if (auto block = work_.local_block()) pool_.push(std::move(*block));
            else break;
        channel_.progress_sends();
        return progressed;
    }

    void handle(int worker, MessageView&& message) {
        Header const& h = message.header;
        // A large result's head: its payload follows alone (even a late one's must be taken).
        if (h.kind == MessageKind::result_head)
            return payloads_.expect(worker, std::move(message), work_.destination(message));
        // Late answers of an earlier call that was interrupted: nobody waits for them any more.
        if (h.call < core_.calls || schedule_.gone(worker)) return;
        bool const handshake = h.kind == MessageKind::join || h.kind == MessageKind::left;
        if (handshake && h.call != core_.calls)
            throw UsageError(
                "taskfarm: rank " + std::to_string(core_.farm_rank(worker)) + " is in its farm call #" +
                std::to_string(h.call) + " while the root is in #" + std::to_string(core_.calls) +
                ": farm calls are collective, so every rank must make the same farm calls in the same order");
        if (h.kind == MessageKind::left) return schedule_.left(worker, job_.call_kind());
        if (h.kind == MessageKind::join) schedule_.joined(worker);
        if (handshake || h.kind == MessageKind::signal) {
            if (h.job_type != 0) interrupt(static_cast<int>(h.job_type));  // a signal the worker caught
            return;
        }
        if (h.kind != MessageKind::result_batch) return answer(worker, message);
        // A sub-master's results of smaller blocks; a block of ours is answered once it says so.
        for (MessageView const& entry : batch_entries(message.payload)) {
            if (entry.header.job_type != kClosesBlock) {
                take_result(worker, entry);
                continue;
            }
            schedule_.answered(worker);
            dispatch(worker);
        }
    }

    void arrived(int worker, MessageView const& result) {
        recorder_.received(result.header.payload_bytes);
        if (result.header.call == core_.calls && !schedule_.gone(worker)) answer(worker, result);
    }

    // A worker's answer for a block: count it first (whatever is wrong with it, the worker has one
    // block fewer), accept it, and send that worker the next.
    void answer(int worker, MessageView const& message) {
        schedule_.answered(worker);
        take_result(worker, message);
        dispatch(worker);
    }
    void take_result(int worker, MessageView const& message) {
        Header const& h = message.header;
        if (h.kind != MessageKind::result || h.call != core_.calls)
            schedule_.fail(std::make_exception_ptr(
                Error("taskfarm: rank " + std::to_string(worker) +
                      " answered for another farm call (do all ranks make the same farm calls?)")));
        else if (h.status == CallStatus::ok) work_.accept(message);
        else if (h.status != CallStatus::dropped)  // dropped: not started, pending in the journal
            schedule_.fail(result_error(worker, h, message.failures));
    }

    void dispatch(int worker) {
        double const since = recorder_.now();
        Bytes buffer = channel_.take_buffer();
        auto const range = work_.block_for(worker, buffer);
        if (!range) return channel_.give_buffer(std::move(buffer));
        recorder_.sent(buffer.size());
        channel_.send(worker, core_.tags.block, std::move(buffer));
        recorder_.dispatch(since, recorder_.now(), worker, range->first, range->count);
        schedule_.sent(worker);
    }

    // Stops the hand-out; workers drop the blocks they have not started and answer them `dropped`,
    // so what is in flight shrinks to the blocks running now.
    void interrupt(int signal) {
        if (schedule_.interrupt(signal, Clock::now())) for_each_worker([&](int w) { send(w, MessageKind::drain); });
    }
    void take_signal() {
        if (int const signal = SignalLatch::pending(); signal != 0) interrupt(signal);
    }

    void finish() {
        payloads_.settle([this](int w, MessageView const& m) { arrived(w, m); });
        work_.closing();
        CallOutcome const outcome = schedule_.outcome(work_.journaled());
        for_each_worker([&](int w) {
            Bytes buffer = channel_.take_buffer();
            write_stop(buffer, core_.calls, outcome);
            channel_.send(w, core_.tags.block, std::move(buffer));
        });
        // Stop messages are small and every live worker takes them; the bound is for dead ones.
        if (!channel_.wait_sends_for(std::chrono::seconds(60))) channel_.abandon_sends();
        // Answers given up on (grace over) or sent to ranks that never joined may still come.
        if (schedule_.answers_may_remain()) core_.keep_communicator = true;
        work_.closed(outcome);
        if (schedule_.interrupted() != 0) SignalLatch::clear();  // acted on: this call is what it stopped
        throw_outcome(schedule_.outcome(work_.journaled()));     // with a trace file's error, if one came since
    }

    void send(int worker, MessageKind kind) {
        Bytes buffer = channel_.take_buffer();
        MessageBuilder(buffer).finish(Header{kind, core_.calls}, {});
        channel_.send(worker, core_.tags.block, std::move(buffer));
    }
    template <class F>
    void for_each_worker(F&& f) {
        for (int w = 0; w < core_.size; ++w)
            if (w != core_.rank) f(w);
    }

    FarmCore& core_;
    Job& job_;
    Channel& channel_;
    RootScheduler schedule_;
    TraceRecorder recorder_;
    PayloadReceiver payloads_;
    RootWork work_;
    BlockPool pool_;  // last: its threads use the members above
};

}  // namespace

void run_root(FarmCore& core, Job& job, Channel& channel) {
    RootLoop loop(core, job, channel);
    loop.run();
}

void run_root(FarmCore& core, Job& job) {
    Transport transport(core.comm);
    run_root(core, job, transport);
}

}  // namespace taskfarm::detail
