// A worker's side of a call: run the blocks the root sends, in order, and send each one's results
// back at once. Blocks arrive ahead of need (the root keeps `prefetch` in flight), and the main
// thread takes in new ones between tasks, so the team rarely waits for work. Idle waits sleep.
#include <chrono>
#include <deque>
#include <string>

#include <taskfarm/errors.hpp>

#include "engine/backoff.hpp"
#include "engine/farm_core.hpp"
#include "engine/thread_team.hpp"
#include "engine/transport.hpp"
#include "engine/wire.hpp"

namespace taskfarm::detail {

namespace {

class WorkerLoop {
public:
    WorkerLoop(FarmCore& core, Job& job) : core_(core), job_(job), transport_(MPI_Comm(core.comm)) {}

    void run() {
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
            if (message.header.call != core_.calls)
                throw Error("taskfarm: rank " + std::to_string(core_.comm.rank()) +
                            " received a message of another farm call (do all ranks make the same farm calls?)");
            if (message.header.kind == MessageKind::stop) {
                transport_.wait_sends();
                end_call(message);
                return;
            }
            run_block(message, team);
            transport_.give_buffer(std::move(bytes));
        }
    }

private:
    void poll() {
        // Nothing after this call's Stop may be taken: it belongs to the next call.
        while (!stop_received_) {
            auto received = transport_.try_receive(core_.options.root, kBlockTag);
            if (!received) break;
            stop_received_ = parse_message(received->bytes).header.kind == MessageKind::stop;
            ready_.push_back(std::move(received->bytes));
        }
        transport_.progress_sends();
    }

    void run_block(MessageView const& block, ThreadTeam& team) {
        Bytes buffer = transport_.take_buffer();
        MessageBuilder result(buffer);
        FailureList failures;
        auto const start = std::chrono::steady_clock::now();
        CallStatus status = CallStatus::ok;
        try {
            job_.run_block(block.header.first, block.header.count, block.payload, result.payload(), failures, team);
        } catch (std::exception const& e) {
            // Not a task's own exception (those are in `failures`): decoding the block failed.
            // Blame the block's first task, and drop what results there were.
            result.payload().resize(sizeof(Header));
            failures.add(block.header.first, e.what());
            status = CallStatus::task_failed;
        }
        Header header{MessageKind::result, core_.calls, block.header.first, block.header.count};
        header.status = status;  // not ok: the block has no results, only failures
        header.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        for (auto& f : failures.items()) f.rank = core_.comm.rank();
        result.finish(header, failures.items());
        transport_.send(core_.options.root, kResultTag, std::move(buffer));
    }

    static void end_call(MessageView const& stop) {
        switch (stop.header.status) {
            case CallStatus::ok:
                return;
            case CallStatus::task_failed:
                throw TaskError(stop.failures);
            case CallStatus::root_failed:
                throw Error("taskfarm: the call failed on the root: " +
                            (stop.failures.empty() ? std::string("unknown error") : stop.failures.front().message));
        }
        throw Error("taskfarm: unknown call status from the root");
    }

    FarmCore& core_;
    Job& job_;
    Transport transport_;
    std::deque<Bytes> ready_;
    bool stop_received_ = false;
};

}  // namespace

void run_worker(FarmCore& core, Job& job) {
    WorkerLoop loop(core, job);
    loop.run();
}

}  // namespace taskfarm::detail
