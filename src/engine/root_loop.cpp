// The root's side of a call. It keeps every worker `prefetch` blocks ahead, answers each result
// with the next block, runs blocks of its own on its threads between messages, and waits with a
// sleeping back-off when it has nothing to run. When the work is done (or a task failed and the
// blocks in flight are drained) it tells every worker how the call ended.
#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <vector>

#include <taskfarm/errors.hpp>

#include "engine/backoff.hpp"
#include "engine/chunk_policy.hpp"
#include "engine/farm_core.hpp"
#include "engine/task_ranges.hpp"
#include "engine/thread_team.hpp"
#include "engine/transport.hpp"
#include "engine/wire.hpp"

namespace taskfarm::detail {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class RootLoop {
public:
    RootLoop(FarmCore& core, Job& job)
        : core_(core),
          job_(job),
          transport_(MPI_Comm(core.comm)),
          ranges_(job.size()),
          policy_(core.options.chunk_size, core.options.chunk_seconds, core.total_slots()),
          outstanding_(static_cast<std::size_t>(core.comm.size()), 0) {}

    void run() {
        for (int round = 0; round < core_.options.prefetch; ++round)
            for (int w = 0; w < core_.comm.size(); ++w)
                if (w != root()) dispatch(w);

        Backoff backoff;
        for (;;) {
            bool const progressed = service();
            if (can_compute()) {
                run_local_block();
                backoff.reset();
            } else if (in_flight_ == 0) {
                break;
            } else if (progressed) {
                backoff.reset();
            } else {
                backoff.pause();
            }
        }
        finish();
    }

private:
    int root() const { return core_.options.root; }
    bool stopping() const { return !failures_.empty() || root_error_ != nullptr; }
    bool can_compute() const {
        bool const alone = core_.comm.size() == 1;
        return !stopping() && !ranges_.empty() && (core_.options.root_computes || alone);
    }

    void dispatch(int worker) {
        if (stopping()) return;
        auto const size = policy_.next_size(core_.rank_threads[static_cast<std::size_t>(worker)], ranges_.remaining());
        auto const range = ranges_.take(size);
        if (!range) return;
        Bytes buffer = transport_.take_buffer();
        MessageBuilder message(buffer);
        try {
            job_.encode_inputs(range->first, range->count, message.payload());
        } catch (...) {
            root_error_ = std::current_exception();
            transport_.give_buffer(std::move(buffer));
            return;
        }
        message.finish(Header{MessageKind::block, core_.calls, range->first, range->count}, {});
        transport_.send(worker, kBlockTag, std::move(buffer));
        ++outstanding_[static_cast<std::size_t>(worker)];
        ++in_flight_;
    }

    // Takes every result that has arrived and answers it; true if anything happened.
    bool service() {
        bool progressed = false;
        while (auto received = transport_.try_receive(MPI_ANY_SOURCE, kResultTag)) {
            progressed = true;
            handle_result(received->source, received->bytes);
            transport_.give_buffer(std::move(received->bytes));
        }
        transport_.progress_sends();
        return progressed;
    }

    void handle_result(int worker, Bytes const& bytes) {
        // Count the answer first: whatever is wrong with it, the worker has one block fewer.
        --outstanding_[static_cast<std::size_t>(worker)];
        --in_flight_;
        try {
            MessageView const message = parse_message(bytes);
            if (message.header.kind != MessageKind::result || message.header.call != core_.calls)
                throw Error("taskfarm: rank " + std::to_string(worker) +
                            " answered for another farm call (do all ranks make the same farm calls?)");
            policy_.observe(message.header.count, message.header.seconds,
                            core_.rank_threads[static_cast<std::size_t>(worker)]);
            if (message.header.status == CallStatus::ok) {
                accept(message.header.first, message.header.count, message.payload, message.failures);
            } else {
                failures_.insert(failures_.end(), message.failures.begin(), message.failures.end());
            }
        } catch (...) {
            if (!root_error_) root_error_ = std::current_exception();
        }
        dispatch(worker);
    }

    void accept(std::uint64_t first, std::uint64_t count, ByteView payload, std::vector<TaskFailure> const& failures) {
        failures_.insert(failures_.end(), failures.begin(), failures.end());
        if (root_error_) return;
        try {
            job_.accept_results(first, count, payload);
        } catch (...) {
            root_error_ = std::current_exception();
        }
    }

    void run_local_block() {
        auto const size = policy_.next_size(core_.threads, ranges_.remaining());
        auto const range = ranges_.take(size);
        if (!range) return;
        Bytes inputs;
        Bytes results;
        FailureList failures;
        auto const start = std::chrono::steady_clock::now();
        try {
            job_.encode_inputs(range->first, range->count, inputs);
            ThreadTeam team(core_.threads, [this] { service(); });
            job_.run_block(range->first, range->count, inputs, results, failures, team);
        } catch (...) {
            root_error_ = std::current_exception();
            return;
        }
        policy_.observe(range->count, seconds_since(start), core_.threads);
        for (auto& f : failures.items()) f.rank = core_.comm.rank();
        accept(range->first, range->count, results, failures.items());
    }

    void finish() {
        CallStatus status = CallStatus::ok;
        std::vector<TaskFailure> report;
        if (root_error_) {
            status = CallStatus::root_failed;
            report.push_back(TaskFailure{0, root(), describe_root_error()});
        } else if (!failures_.empty()) {
            status = CallStatus::task_failed;
            report = failures_;
        }
        for (int w = 0; w < core_.comm.size(); ++w) {
            if (w == root()) continue;
            Bytes buffer = transport_.take_buffer();
            MessageBuilder message(buffer);
            Header header{MessageKind::stop, core_.calls};
            header.status = status;
            message.finish(header, report);
            transport_.send(w, kBlockTag, std::move(buffer));
        }
        transport_.wait_sends();
        if (root_error_) std::rethrow_exception(root_error_);
        if (!failures_.empty()) throw TaskError(failures_);
    }

    std::string describe_root_error() const {
        try {
            std::rethrow_exception(root_error_);
        } catch (std::exception const& e) {
            return e.what();
        } catch (...) {
            return "unknown exception";
        }
    }

    FarmCore& core_;
    Job& job_;
    Transport transport_;
    TaskRanges ranges_;
    ChunkPolicy policy_;
    std::vector<int> outstanding_;
    int in_flight_ = 0;
    std::vector<TaskFailure> failures_;
    std::exception_ptr root_error_;
};

}  // namespace

void run_root(FarmCore& core, Job& job) {
    RootLoop loop(core, job);
    loop.run();
}

}  // namespace taskfarm::detail
