// A worker's serve loop on the engine's BlockPool: the main thread only drives (takes in tasks,
// sends each outcome the moment its task ends, reports a signal), and the rank's `threads` pool
// threads run one task each, so a task that arrives while others run starts at once. Idle waits
// sleep (Backoff). Stop ends it: the worker answers Left, drops the tasks not started, and
// returns once those running have ended (a thread cannot be stopped safely).
#include <chrono>
#include <string>

#include <taskfarm/errors.hpp>

#include "engine/backoff.hpp"
#include "engine/block_pool.hpp"
#include "engine/interrupt.hpp"
#include "engine/wire.hpp"
#include "executor/executor_core.hpp"
#include "executor/executor_wire.hpp"
#include "trace/trace_gather.hpp"

namespace taskfarm::detail {

void ExecutorCore::serve() {
    int const root = options_.root;
    int const rank = comm_.rank();
    BlockPool pool(job_, setup_.threads, nullptr, sizeof(Header), /*driver_runs_blocks=*/false);
    CallStatus stop_status = CallStatus::ok;

    auto send = [&](Header const& header, Bytes&& buffer, std::vector<TaskFailure> const& failures) {
        MessageBuilder::adopt(buffer).finish(header, failures);
        recorder_->sent(buffer.size());
        transport_.send(root, kOutcomeTag, std::move(buffer));
    };
    auto drive = [&] {
        bool signal_reported = false;
        Backoff backoff;
        for (;;) {
            bool any = false;
            if (options_.handle_signals && !signal_reported && SignalLatch::pending() != 0) {
                // The root decides: it stops every rank when it next progresses.
                signal_reported = true;
                Header header{MessageKind::signal};
                header.job_type = static_cast<std::uint64_t>(SignalLatch::pending());
                Bytes buffer = transport_.take_buffer();
                send(header, std::move(buffer), {});
            }
            while (auto received = transport_.try_receive(root, kTaskTag)) {
                any = true;
                recorder_->received(received->bytes.size());
                MessageView const message = parse_message(received->bytes);
                if (message.header.kind == MessageKind::stop) {
                    stop_status = message.header.status;
                    Bytes buffer = transport_.take_buffer();
                    send(Header{MessageKind::left}, std::move(buffer), {});  // nothing follows it
                    return;
                }
                if (message.header.kind != MessageKind::block || message.header.job_type != kExecutorJobType ||
                    message.header.count != 1)
                    throw Error("taskfarm: rank " + std::to_string(rank) +
                                " got a message from the executor's root that is not a task");
                // The block keeps the whole message; its inputs are the payload inside it.
                auto const offset = static_cast<std::size_t>(message.payload.data() - received->bytes.data());
                received->bytes.resize(offset + message.payload.size());
                pool.push(QueuedBlock{message.header.first, 1, std::move(received->bytes), offset});
            }
            while (auto done = pool.pop_finished()) {
                any = true;
                recorder_->block(done->thread, done->start, done->end, done->first, done->count);
                Header header{MessageKind::result, 0, done->first, done->count};
                header.seconds = done->seconds();
                if (done->failed_whole) header.status = CallStatus::block_failed;
                for (auto& f : done->failures) f.rank = rank;
                // The result was written after room for the header: the message is built in place.
                send(header, std::move(done->results), done->failures);
            }
            transport_.progress_sends();
            for (Bytes spare = transport_.take_buffer(); spare.capacity() > 0; spare = transport_.take_buffer())
                pool.recycle(std::move(spare));
            if (any) {
                backoff.reset();
            } else {
                double const since = recorder_->now();
                backoff.pause();
                recorder_->wait(since, recorder_->now());
            }
        }
    };
    pool.run(drive);
    // The root takes every message up to our Left; a root that is gone must not hold us for ever.
    if (!transport_.wait_sends_for(std::chrono::seconds(30))) {
        transport_.abandon_sends();
        keep_communicator_ = true;
    }
    if (stop_status == CallStatus::interrupted) SignalLatch::clear();  // acted on: it stopped the executor
    // The root gathers every rank's trace after a Stop that is ok (see release_workers).
    if (stop_status == CallStatus::ok && gathers_trace() && !keep_communicator_)
        gather_call_trace(MPI_Comm(comm_), root, *recorder_, CallTrace{});
}

}  // namespace taskfarm::detail
