// A worker's side of a call: run the blocks the root sends, in order, and send each one's results
// back at once. Blocks arrive ahead of need (the root keeps `prefetch` in flight), and the main
// thread takes in new ones between tasks, so the team rarely waits for work. Idle waits sleep.
// A signal caught here is reported to the root, which decides; a Drain from the root means: drop
// (and answer as dropped) every block not started yet.
#include <chrono>
#include <deque>
#include <string>

#include <taskfarm/errors.hpp>

#include "engine/backoff.hpp"
#include "engine/farm_core.hpp"
#include "engine/interrupt.hpp"
#include "engine/thread_team.hpp"
#include "engine/transport.hpp"
#include "engine/wire.hpp"

namespace taskfarm::detail {

namespace {

class WorkerLoop {
public:
    WorkerLoop(FarmCore& core, Job& job) : core_(core), job_(job), transport_(MPI_Comm(core.comm)) {}

    void run() {
        SignalWatch const signals(core_.options.handle_signals);
        ThreadTeam team(core_.threads, [this] { poll(); });
        Backoff backoff;
        for (;;) {
            poll();
            if (ready_.empty()) {
                backoff.pause();
                continue;
            }
            backoff.reset();
            Bytes bytes = std::move(ready_.front());
            ready_.pop_front();
            MessageView const message = parse_message(bytes);
            if (message.header.kind == MessageKind::stop) {
                // The root may be gone after an interrupted call; a dead one must not hold us forever.
                if (!transport_.wait_sends_for(std::chrono::duration<double>(core_.options.interrupt_grace_seconds + 10)))
                    transport_.abandon_sends();
                end_call(message);
                return;
            }
            run_block(message, team);
            transport_.give_buffer(std::move(bytes));
        }
    }

private:
    void poll() {
        if (!signal_reported_ && SignalWatch::caught() != 0) report_signal(SignalWatch::caught());
        // Nothing after this call's Stop may be taken: it belongs to the next call.
        while (!stop_received_) {
            auto received = transport_.try_receive(core_.options.root, kBlockTag);
            if (!received) break;
            MessageView const message = parse_message(received->bytes);
            if (message.header.call != core_.calls)
                throw Error("taskfarm: rank " + std::to_string(core_.comm.rank()) +
                            " received a message of another farm call (do all ranks make the same farm calls?)");
            if (message.header.kind == MessageKind::drain) {
                drop_queued_blocks();
                continue;
            }
            stop_received_ = message.header.kind == MessageKind::stop;
            ready_.push_back(std::move(received->bytes));
        }
        transport_.progress_sends();
    }

    void report_signal(int signal) {
        signal_reported_ = true;
        Bytes buffer = transport_.take_buffer();
        MessageBuilder message(buffer);
        Header header{MessageKind::signal, core_.calls};
        header.job_type = static_cast<std::uint64_t>(signal);
        message.finish(header, {});
        transport_.send(core_.options.root, kResultTag, std::move(buffer));
    }

    void drop_queued_blocks() {
        for (Bytes& bytes : ready_) {
            MessageView const block = parse_message(bytes);
            Header header{MessageKind::result, core_.calls, block.header.first, block.header.count};
            header.status = CallStatus::dropped;
            answer(header, {});
        }
        ready_.clear();
    }

    void answer(Header const& header, std::vector<TaskFailure> const& failures) {
        Bytes buffer = transport_.take_buffer();
        MessageBuilder result(buffer);
        result.finish(header, failures);
        transport_.send(core_.options.root, kResultTag, std::move(buffer));
    }

    void run_block(MessageView const& block, ThreadTeam& team) {
        Header header{MessageKind::result, core_.calls, block.header.first, block.header.count};
        if (block.header.job_type != job_.type_id()) {
            // Decoding the block as another call's inputs would be garbage: tell the root instead.
            header.status = CallStatus::wrong_call;
            answer(header, {TaskFailure{block.header.first, core_.comm.rank(),
                                        "taskfarm: rank " + std::to_string(core_.comm.rank()) + " makes a " +
                                            job_.call_kind() +
                                            " call that differs from the root's (another kind of call, "
                                            "function, input or result type): every rank must make the "
                                            "same farm calls in the same order"}});
            return;
        }
        Bytes buffer = transport_.take_buffer();
        MessageBuilder result(buffer);
        FailureList failures;
        auto const start = std::chrono::steady_clock::now();
        try {
            job_.run_block(block.header.first, block.header.count, block.payload, result.payload(), failures, team);
        } catch (std::exception const& e) {
            // Not a task's own exception (those are in `failures`): the block could not be run at
            // all (its inputs did not decode). No results: the root ends the call with this error.
            result.payload().resize(sizeof(Header));
            failures.items().clear();
            failures.add(block.header.first, e.what());
            header.status = CallStatus::block_failed;
        }
        header.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        for (auto& f : failures.items()) f.rank = core_.comm.rank();
        result.finish(header, failures.items());
        transport_.send(core_.options.root, kResultTag, std::move(buffer));
    }

    static void end_call(MessageView const& stop) {
        std::string const message =
            stop.failures.empty() ? std::string("unknown error") : stop.failures.front().message;
        switch (stop.header.status) {
            case CallStatus::ok:
                return;
            case CallStatus::task_failed:
                throw TaskError(stop.failures);
            case CallStatus::interrupted:
                throw Interrupted(message, static_cast<int>(stop.header.job_type), stop.header.first, stop.header.count);
            case CallStatus::usage_error:
                throw UsageError(message);
            case CallStatus::root_failed:
                throw Error("taskfarm: the call failed on the root: " + message);
            default:
                break;
        }
        throw Error("taskfarm: unknown call status from the root");
    }

    FarmCore& core_;
    Job& job_;
    Transport transport_;
    std::deque<Bytes> ready_;
    bool stop_received_ = false;
    bool signal_reported_ = false;
};

}  // namespace

void run_worker(FarmCore& core, Job& job) {
    WorkerLoop loop(core, job);
    loop.run();
}

}  // namespace taskfarm::detail
