// Construction (collective) and the root's scheduler. Tasks go out in batches of one per thread
// of the worker, each worker holding 1 + prefetch batches; a batch's outcomes come back in one
// message. All of it runs on the root's main thread, driven by the calls that wait on futures.
#include "executor/executor_core.hpp"

#include <algorithm>
#include <string>

#include <boost/mpi/collectives/all_gather.hpp>

#include <taskfarm/errors.hpp>
#include <taskfarm/options.hpp>
#include <taskfarm/task.hpp>

#include "engine/backoff.hpp"
#include "engine/farm_core.hpp"
#include "executor/executor_wire.hpp"

namespace taskfarm::detail {

namespace {
void validate(ExecutorOptions const& o, int comm_size) {
    if (o.root < 0 || o.root >= comm_size)
        throw UsageError("taskfarm: ExecutorOptions.root is " + std::to_string(o.root) + " but the communicator has " +
                         std::to_string(comm_size) + " ranks");
    if (o.threads < 0) throw UsageError("taskfarm: ExecutorOptions.threads must be >= 0 (0: from the environment)");
    if (o.prefetch < 0) throw UsageError("taskfarm: ExecutorOptions.prefetch must be >= 0");
}

int threads_for(ExecutorOptions const& o) {
    Options farm_options;
    farm_options.threads = o.threads;
    return resolve_threads(farm_options);
}

// Keeps depth_ right however progress() leaves (a callback may throw).
struct DepthGuard {
    int& depth;
    explicit DepthGuard(int& d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
    DepthGuard(DepthGuard const&) = delete;
    DepthGuard& operator=(DepthGuard const&) = delete;
};
}  // namespace

ExecutorCore::ExecutorCore(boost::mpi::communicator const& comm, ExecutorOptions const& options)
    : comm_((validate(options, comm.size()), boost::mpi::communicator(comm, boost::mpi::comm_duplicate))),
      options_(options),
      transport_(MPI_Comm(comm_)),
      outstanding_(static_cast<std::size_t>(comm_.size()), 0) {
    boost::mpi::all_gather(comm_, threads_for(options), rank_threads_);
    std::vector<int> roots;
    boost::mpi::all_gather(comm_, options.root, roots);
    for (int r : roots)
        if (r != options.root) throw UsageError("taskfarm: the ranks disagree on ExecutorOptions.root");
}

void ExecutorCore::require_root(char const* what) const {
    if (!is_root()) throw UsageError(std::string("taskfarm: only the executor's root may ") + what);
    if (shut_down_) throw UsageError(std::string("taskfarm: cannot ") + what + " after the executor shut down");
}

std::uint64_t ExecutorCore::next_id() {
    require_root("submit tasks");
    if (cancelling_) throw UsageError("taskfarm: cannot submit tasks while the executor is cancelling");
    return next_id_++;
}

void ExecutorCore::submit(std::string const& name, Bytes args, std::shared_ptr<FutureStateBase> state) {
    queue_.push_back(Queued{state->id(), name, std::move(args), std::move(state)});
    // Start it now if a worker has room, so it runs while the root goes on with its own code.
    dispatch();
    transport_.progress_sends();
}

bool ExecutorCore::progress() {
    DepthGuard guard(depth_);
    bool progressed = receive_outcomes();
    dispatch();
    if (comm_.size() == 1 && !queue_.empty()) {
        run_one_here();
        progressed = true;
    }
    transport_.progress_sends();
    if (depth_ == 1 && !cancelling_) progressed = run_due_callbacks() || progressed;
    return progressed;
}

void ExecutorCore::wait_idle() {
    require_root("wait");
    if (depth_ > 0)
        throw UsageError("taskfarm: wait_idle() inside a completion callback would wait for that callback itself");
    Backoff backoff;
    while (!queue_.empty() || !running_.empty() || !callbacks_due_.empty()) {
        if (progress()) {
            backoff.reset();
        } else {
            backoff.pause();
        }
    }
}

bool ExecutorCore::receive_outcomes() {
    bool any = false;
    while (auto received = transport_.try_receive(MPI_ANY_SOURCE, kOutcomeTag)) {
        any = true;
        --outstanding_[static_cast<std::size_t>(received->source)];
        ParsedMessage const message = parse_executor_message(received->bytes);
        if (message.kind != ExecutorMessage::outcomes)
            throw Error("taskfarm: rank " + std::to_string(received->source) + " sent the executor's root a " +
                        "message that is not a batch of outcomes");
        for (auto const& record : message.records) {
            auto const it = running_.find(record.id);
            if (it == running_.end())
                throw Error("taskfarm: rank " + std::to_string(received->source) + " answered for task " +
                            std::to_string(record.id) + ", which is not running");
            auto state = std::move(it->second);
            running_.erase(it);
            finish(*state, record.ok, received->source, record.payload);
            callbacks_due_.push_back(std::move(state));
        }
        transport_.give_buffer(std::move(received->bytes));
    }
    return any;
}

void ExecutorCore::finish(FutureStateBase& state, bool ok, int rank, ByteView payload) {
    if (ok) {
        state.complete(payload, rank, ++completions_);
    } else {
        std::string message(reinterpret_cast<char const*>(payload.data()), payload.size());
        state.fail(TaskFailure{state.id(), rank, std::move(message)}, ++completions_);
    }
}

void ExecutorCore::dispatch() {
    auto const size = static_cast<std::size_t>(comm_.size());
    // Level by level: every worker gets its first batch before any gets a second.
    for (int level = 0; level <= options_.prefetch && !queue_.empty(); ++level) {
        for (std::size_t k = 0; k < size && !queue_.empty(); ++k) {
            auto const w = static_cast<int>((rotation_ + k) % size);
            if (w != options_.root && outstanding_[static_cast<std::size_t>(w)] <= level) send_batch(w);
        }
    }
    ++rotation_;
}

void ExecutorCore::send_batch(int worker) {
    auto const batch = std::min<std::size_t>(
        queue_.size(), static_cast<std::size_t>(std::max(1, rank_threads_[static_cast<std::size_t>(worker)])));
    Bytes buffer = transport_.take_buffer();
    RecordWriter writer(buffer, ExecutorMessage::tasks);
    for (std::size_t i = 0; i < batch; ++i) {
        Queued task = std::move(queue_.front());
        queue_.pop_front();
        writer.add(task.id, true, task.name, task.args);
        running_.emplace(task.id, std::move(task.state));
    }
    transport_.send(worker, kTaskBatchTag, std::move(buffer));
    ++outstanding_[static_cast<std::size_t>(worker)];
}

void ExecutorCore::run_one_here() {
    Queued task = std::move(queue_.front());
    queue_.pop_front();
    Bytes result;
    bool ok = true;
    try {
        TaskRegistry::instance().invoker(task.name)(task.args, result);
    } catch (std::exception const& e) {
        std::string const what = e.what();
        result.assign(reinterpret_cast<std::byte const*>(what.data()),
                      reinterpret_cast<std::byte const*>(what.data() + what.size()));
        ok = false;
    } catch (...) {
        static constexpr std::string_view what = "unknown exception (not derived from std::exception)";
        result.assign(reinterpret_cast<std::byte const*>(what.data()),
                      reinterpret_cast<std::byte const*>(what.data() + what.size()));
        ok = false;
    }
    finish(*task.state, ok, comm_.rank(), result);
    callbacks_due_.push_back(std::move(task.state));
}

bool ExecutorCore::run_due_callbacks() {
    bool any = false;
    while (!callbacks_due_.empty()) {
        auto state = std::move(callbacks_due_.front());
        callbacks_due_.pop_front();
        any = true;
        state->run_callbacks();  // may submit more, or throw to the caller that progressed
    }
    return any;
}

void ExecutorCore::shutdown(bool cancel) {
    if (shut_down_ || !is_root()) return;
    if (cancel) {
        cancelling_ = true;
        for (auto& task : queue_)
            task.state->fail(TaskFailure{task.id, comm_.rank(), "cancelled: the executor shut down before it ran"},
                             ++completions_);
        queue_.clear();
        callbacks_due_.clear();
        // Tasks out on workers must still come back: their answers would otherwise be left
        // unreceived, and the workers must finish them before they can see Stop.
        Backoff backoff;
        while (!running_.empty()) {
            if (progress()) {
                backoff.reset();
            } else {
                backoff.pause();
            }
        }
    } else {
        wait_idle();
    }
    for (int w = 0; w < comm_.size(); ++w) {
        if (w == options_.root) continue;
        Bytes buffer = transport_.take_buffer();
        RecordWriter writer(buffer, ExecutorMessage::stop);
        transport_.send(w, kTaskBatchTag, std::move(buffer));
    }
    transport_.wait_sends();
    shut_down_ = true;
}

}  // namespace taskfarm::detail
