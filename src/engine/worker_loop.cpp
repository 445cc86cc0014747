// A worker's side of a call: run the blocks the root sends on the rank's threads, each thread a
// whole block, and send each one's results back as soon as it is done. Blocks arrive ahead of need
// (the root keeps `prefetch` per thread in flight); the main thread takes in new ones and sends
// results between the sub-ranges of the blocks it runs itself. Idle waits sleep.
// A signal caught here is reported to the root, which decides; a Drain from the root means: drop
// (and answer as dropped) every block not started yet.
#include <chrono>
#include <deque>
#include <string>

#include <taskfarm/errors.hpp>

#include "engine/backoff.hpp"
#include "engine/block_pool.hpp"
#include "engine/call_outcome.hpp"
#include "engine/farm_core.hpp"
#include "engine/interrupt.hpp"
#include "engine/transport.hpp"
#include "engine/wire.hpp"
#include "trace/trace_gather.hpp"
#include "trace/trace_recorder.hpp"

namespace taskfarm::detail {

namespace {

class WorkerLoop {
public:
    WorkerLoop(FarmCore& core, Job& job)
        : core_(core),
          job_(job),
          transport_(core.comm),
          recorder_(core.farm_rank(), core.threads, true,
                    TraceRecorder::Settings{.keep_events = !core.options.trace.empty()}),
          pool_(
              job, core.threads, [this] { poll(); }, sizeof(Header)) {}

    void run() {
        join();
        pool_.run([this] { drive(); });
        // The root may be gone after an interrupted call; a dead one must not hold us forever.
        if (!transport_.wait_sends_for(std::chrono::duration<double>(core_.options.interrupt_grace_seconds + 10))) {
            transport_.abandon_sends();
            core_.keep_communicator = true;
        }
        if (!root_seen_) {
            core_.keep_communicator = true;  // our Join and Left may never be received
            throw_root_missing();
        }
        MessageView const stop = parse_message(stop_);
        // The root gathers every rank's trace after a call that ended well (see root_loop.cpp).
        if (core_.gathers_trace() &&
            (stop.header.status == CallStatus::ok || stop.header.status == CallStatus::task_failed))
            gather_call_trace(core_.whole_comm(), core_.whole_root(), recorder_, CallTrace{});
        throw_outcome(read_stop(stop));  // returns when the call ended well
    }

private:
    // The main thread's loop: take in blocks, send results, run blocks itself when there is
    // nothing else to do, until the Stop has come and every block of the call is answered.
    void drive() {
        Backoff backoff;
        auto const deadline = std::chrono::steady_clock::now() +
                              std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(core_.options.join_timeout_seconds));
        for (;;) {
            poll();
            if (!root_seen_ && core_.options.join_timeout_seconds > 0 && std::chrono::steady_clock::now() >= deadline) {
                // The root never joined: say so to it (should it come after all) and leave.
                answer(Header{MessageKind::left, core_.calls}, {});
                return;
            }
            if (pool_.run_one()) {
                backoff.reset();
            } else if (stop_received_ && pool_.in_hand() == 0) {
                return;
            } else {
                double const since = recorder_.now();
                backoff.pause();
                recorder_.wait(since, recorder_.now());
            }
        }
    }

    // The handshake's first half: the root learns this rank is in the call, and of a signal it
    // holds from before; such a rank runs nothing (it drops what it is sent until the root's Stop).
    void join() {
        Header header{MessageKind::join, core_.calls};
        if (int const signal = SignalLatch::pending(); signal != 0) {
            header.job_type = static_cast<std::uint64_t>(signal);
            signal_reported_ = true;
        }
        answer(header, {});
    }

    [[noreturn]] void throw_root_missing() const {
        throw UsageError(
            "taskfarm: rank " + std::to_string(core_.farm_rank()) + " waited " +
            std::to_string(static_cast<long>(core_.options.join_timeout_seconds)) +
            " s (Options.join_timeout_seconds) for " + (core_.farm_ranks.empty() ? "the root" : "its sub-master") +
            ", rank " + std::to_string(core_.farm_rank(core_.options.root)) + ", to join this " + job_.call_kind() +
            " call: farm calls are collective, so every rank must make the same farm calls in the same order");
    }

    void poll() {
        if (!signal_reported_ && SignalLatch::pending() != 0) report_signal(SignalLatch::pending());
        // Nothing after this call's Stop may be taken: it belongs to the next call.
        while (!stop_received_) {
            auto received = transport_.try_receive(core_.options.root, core_.tags.block);
            if (!received) break;
            recorder_.received(received->bytes.size());
            MessageView const message = parse_message(received->bytes);
            root_seen_ = true;
            if (message.header.call != core_.calls)
                throw Error("taskfarm: rank " + std::to_string(core_.rank) +
                            " received a message of another farm call (do all ranks make the same farm calls?)");
            if (message.header.kind == MessageKind::open) {
                transport_.give_buffer(std::move(received->bytes));
            } else if (message.header.kind == MessageKind::drain) {
                drop_queued_blocks();
            } else if (message.header.kind == MessageKind::stop) {
                stop_received_ = true;
                stop_ = std::move(received->bytes);
            } else {
                queue_block(message, std::move(received->bytes));
            }
        }
        // A rank that caught a signal starts nothing more; the root's Drain would say the same.
        if (signal_reported_ && pool_.queued() > 0) drop_queued_blocks();
        while (auto done = pool_.pop_finished()) send_result(*done);
        transport_.progress_sends();
        // Buffers of results sent go back to the pool, for the next blocks' results.
        for (Bytes spare = transport_.take_buffer(); spare.capacity() > 0; spare = transport_.take_buffer())
            pool_.recycle(std::move(spare));
    }

    void report_signal(int signal) {
        signal_reported_ = true;
        Bytes buffer = transport_.take_buffer();
        MessageBuilder message(buffer);
        Header header{MessageKind::signal, core_.calls};
        header.job_type = static_cast<std::uint64_t>(signal);
        message.finish(header, {});
        transport_.send(core_.options.root, core_.tags.result, std::move(buffer));
    }

    void drop_queued_blocks() {
        for (QueuedBlock const& block : pool_.drop_queued()) {
            Header header{MessageKind::result, core_.calls, block.first, block.count};
            header.status = CallStatus::dropped;
            answer(header, {});
        }
    }

    void answer(Header const& header, std::vector<TaskFailure> const& failures) {
        Bytes buffer = transport_.take_buffer();
        MessageBuilder result(buffer);
        result.finish(header, failures);
        transport_.send(core_.options.root, core_.tags.result, std::move(buffer));
    }

    void queue_block(MessageView const& block, Bytes&& bytes) {
        if (block.header.job_type != job_.type_id()) {
            // Decoding the block as another call's inputs would be garbage: tell the root instead.
            Header header{MessageKind::result, core_.calls, block.header.first, block.header.count};
            header.status = CallStatus::wrong_call;
            answer(header,
                   {TaskFailure{block.header.first, core_.farm_rank(),
                                "taskfarm: rank " + std::to_string(core_.farm_rank()) + " makes a " + job_.call_kind() +
                                    " call that differs from the root's (another kind of call, "
                                    "function, input or result type): every rank must make the "
                                    "same farm calls in the same order"}});
            transport_.give_buffer(std::move(bytes));
            return;
        }
        if (signal_reported_) {  // this rank caught a signal: it starts nothing more
            Header header{MessageKind::result, core_.calls, block.header.first, block.header.count};
            header.status = CallStatus::dropped;
            answer(header, {});
            transport_.give_buffer(std::move(bytes));
            return;
        }
        // The block keeps the whole message; its inputs are the payload inside it.
        auto const offset = static_cast<std::size_t>(block.payload.data() - bytes.data());
        bytes.resize(offset + block.payload.size());
        pool_.push(QueuedBlock{block.header.first, block.header.count, std::move(bytes), offset});
    }

    void send_result(FinishedBlock& done) {
        Header header{MessageKind::result, core_.calls, done.first, done.count};
        header.seconds = done.seconds();
        for (auto& f : done.failures) f.rank = core_.farm_rank();
        // The results were written after room for the header: the message is built in place.
        // A block that could not be run at all (its inputs did not decode) has no results; the
        // root ends the call with its error.
        if (done.failed_whole) header.status = CallStatus::block_failed;
        MessageBuilder::adopt(done.results).finish(header, done.failures);
        recorder_.block(done.thread, done.start, done.end, done.first, done.count);
        recorder_.sent(done.results.size());
        transport_.send_result(core_.options.root, core_.tags, std::move(done.results));
    }

    FarmCore& core_;
    Job& job_;
    Transport transport_;
    Bytes stop_;  // this call's Stop, kept until every block is answered
    bool stop_received_ = false;
    bool signal_reported_ = false;
    bool root_seen_ = false;  // a message of this call came from the root
    TraceRecorder recorder_;
    BlockPool pool_;  // last: its threads use the members above
};

}  // namespace

void run_worker(FarmCore& core, Job& job) {
    WorkerLoop loop(core, job);
    loop.run();
}

}  // namespace taskfarm::detail
