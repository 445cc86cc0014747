// Construction (collective, through the rank set-up Farm uses) and the root's scheduler. Each
// task goes out alone, to the rank with the most idle threads (the workers first, then the root's
// own threads), and beyond one per thread up to `prefetch` more per worker; each outcome comes
// back alone as soon as its task ends. All of it runs on the root's main thread, driven by the
// calls that wait on futures.
#include "executor/executor_core.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <taskfarm/errors.hpp>
#include <taskfarm/future.hpp>
#include <taskfarm/task.hpp>

#include "engine/backoff.hpp"
#include "engine/crash_report.hpp"
#include "engine/interrupt.hpp"
#include "engine/wire.hpp"
#include "executor/executor_wire.hpp"
#include "trace/chrome_trace.hpp"
#include "trace/statistics.hpp"
#include "trace/trace_gather.hpp"

namespace taskfarm::detail {

namespace {
ExecutorOptions validated(ExecutorOptions const& o, int comm_size) {
    validate_rank_options("ExecutorOptions", o.root, o.threads, comm_size);
    if (o.prefetch < 0 || o.prefetch > 1000)
        throw UsageError("taskfarm: ExecutorOptions.prefetch must be between 0 and 1000, not " +
                         std::to_string(o.prefetch));
    if (!(o.task_timeout_seconds >= 0) || !std::isfinite(o.task_timeout_seconds))
        throw UsageError("taskfarm: ExecutorOptions.task_timeout_seconds must be a finite number >= 0 (0: none)");
    return o;
}

// Keeps depth_ right however progress() leaves (a callback may throw).
struct DepthGuard {
    int& depth;
    explicit DepthGuard(int& d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
    DepthGuard(DepthGuard const&) = delete;
    DepthGuard& operator=(DepthGuard const&) = delete;
};

std::string shown_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", seconds);
    return text;
}
}  // namespace

ExecutorCore::ExecutorCore(boost::mpi::communicator const& comm, ExecutorOptions const& options)
    : options_(validated(options, comm.size())),
      setup_(set_up_ranks("ExecutorOptions", MPI_Comm(comm), options.root, options.threads, options.handle_signals,
                          std::vector<int>{options.statistics || !options.trace.empty() ? 1 : 0})),
      comm_(setup_.comm, boost::mpi::comm_take_ownership),
      transport_(MPI_Comm(comm_)),
      outstanding_(static_cast<std::size_t>(comm_.size()), 0) {
    if (options_.handle_signals) signals_.hold();  // from here to the executor's end
    install_crash_report();
    set_crash_context(comm_.rank(), "executor", "", 0, 0);
    for (int gathers : setup_.extra)
        if (gathers != (gathers_trace() ? 1 : 0))
            throw UsageError(
                "taskfarm: the ranks disagree on ExecutorOptions.statistics / ExecutorOptions.trace (set "
                "them alike on every rank)");
    if (is_root() && (comm_.size() == 1 || options_.root_computes))
        local_ = std::make_unique<RootPool>(job_, setup_.threads);
    recorder_ = std::make_unique<TraceRecorder>(comm_.rank(), setup_.threads, !is_root() || local_ != nullptr,
                                                TraceRecorder::Settings{.keep_events = !options_.trace.empty()});
}

ExecutorCore::~ExecutorCore() {
    if (is_root()) {
        // Only after a failed shutdown: the futures must not wait for an executor that is gone.
        auto gone = std::make_exception_ptr(Error("taskfarm: the executor is gone and the task never completed"));
        for (auto& task : queue_) task.state->end_with(gone, false, ++completions_);
        for (auto& [id, task] : running_)
            if (task.state) task.state->end_with(gone, false, ++completions_);
    }
    local_.reset();  // joins the root's threads: waits for the tasks still running there
    // A signal caught while they ended is the one the executor already acted on (its own tasks
    // raising again, say): as a worker does after its join, do not hand it on.
    if (interrupted_) SignalLatch::clear();
    if (keep_communicator_) {
        // A message may be left unreceived on it: a freed communicator's context could be reused
        // by a later one, whose receives would then match it (see ~Farm).
        static std::vector<boost::mpi::communicator> kept;
        kept.push_back(comm_);
    }
}

void ExecutorCore::require_root(char const* what) const {
    if (!is_root()) throw UsageError(std::string("taskfarm: only the executor's root may ") + what);
    if (released_) throw UsageError(std::string("taskfarm: cannot ") + what + " after the executor shut down");
}

std::uint64_t ExecutorCore::next_id() {
    require_root("submit tasks");
    if (closing_ || abandoning_) throw UsageError("taskfarm: cannot submit tasks after the executor shut down");
    return next_id_++;
}

void ExecutorCore::submit(std::string const& name, Bytes args, std::shared_ptr<FutureStateBase> state) {
    queue_.push_back(Queued{std::move(state), name, std::move(args)});
    // Start it now if a rank has room, so it runs while the root goes on with its own code.
    dispatch();
    transport_.progress_sends();
}

bool ExecutorCore::progress() {
    if (!is_root() || released_) return false;
    DepthGuard guard(depth_);
    act_on_signal();
    bool progressed = receive_outcomes();
    if (local_) progressed = collect_local() || progressed;
    progressed = expire_timeouts() || progressed;
    dispatch();
    transport_.progress_sends();
    if (depth_ == 1 && !abandoning_) progressed = run_due_callbacks() || progressed;
    // shutdown(wait=false): the workers go once nothing is left.
    if (closing_ && depth_ == 1 && nothing_left()) release_workers(CallStatus::ok);
    return progressed;
}

bool ExecutorCore::nothing_left() const {
    return queue_.empty() && running_.size() == timed_out_ && (callbacks_due_.empty() || abandoning_);
}

// Drives the executor, sleeping when nothing happened, until nothing is queued or running.
void ExecutorCore::progress_until_idle() {
    Backoff backoff;
    while (!released_ && !nothing_left()) {
        if (progress()) {
            backoff.reset();
        } else {
            backoff.pause();
        }
    }
}

void ExecutorCore::wait_idle() {
    require_root("wait");
    if (depth_ > 0)
        throw UsageError("taskfarm: wait_idle() inside a completion callback would wait for that callback itself");
    progress_until_idle();
}

bool ExecutorCore::receive_outcomes() {
    bool any = false;
    while (auto received = transport_.try_receive(MPI_ANY_SOURCE, kOutcomeTag)) {
        any = true;
        recorder_->received(received->bytes.size());
        MessageView const message = parse_message(received->bytes);
        switch (message.header.kind) {
            case MessageKind::result: {
                bool const ok = message.header.status == CallStatus::ok && message.failures.empty();
                std::string const error = message.failures.empty() ? std::string("the task could not be run")
                                                                   : message.failures.front().message;
                finish(message.header.first, received->source, ok, message.payload, error);
                break;
            }
            case MessageKind::signal:
                if (signal_ == 0) {
                    signal_ = static_cast<int>(message.header.job_type);
                    signal_rank_ = received->source;
                }
                break;
            case MessageKind::left:
                ++left_;
                break;
            default:
                throw Error("taskfarm: rank " + std::to_string(received->source) +
                            " sent the executor's root a message that is not an outcome");
        }
        transport_.give_buffer(std::move(received->bytes));
    }
    return any;
}

bool ExecutorCore::collect_local() {
    bool any = false;
    while (auto done = local_->pop_finished()) {
        any = true;
        recorder_->block(done->thread, done->start, done->end, done->first, done->count);
        bool const ok = !done->failed_whole && done->failures.empty();
        std::string const error = done->failures.empty() ? std::string() : done->failures.front().message;
        finish(done->first, options_.root, ok, ByteView(done->results), error);
    }
    return any;
}

void ExecutorCore::finish(std::uint64_t id, int rank, bool ok, ByteView payload, std::string const& error) {
    auto const it = running_.find(id);
    if (it == running_.end())
        throw Error("taskfarm: rank " + std::to_string(rank) + " answered for task " + std::to_string(id) +
                    ", which is not running");
    Running task = std::move(it->second);
    running_.erase(it);
    --outstanding_[static_cast<std::size_t>(task.rank)];
    if (!task.state) {  // it timed out (or was interrupted) already: nobody waits for this outcome
        --timed_out_;
        return;
    }
    if (ok) {
        task.state->complete(payload, rank, ++completions_);
    } else {
        task.state->fail(TaskFailure{id, rank, error}, ++completions_);
    }
    callbacks_due_.push_back(std::move(task.state));
}

int ExecutorCore::thread_slots(int rank) const {
    if (rank == options_.root) return local_ ? local_->threads() : 0;
    return std::max(1, setup_.rank_threads[static_cast<std::size_t>(rank)]);
}

int ExecutorCore::pick_rank() const {
    int const size = comm_.size();
    int const root = options_.root;
    // The rank with the most idle threads, workers before the root on a tie (its threads share
    // the node with the program's main thread); then a worker's prefetch room.
    int best = -1;
    int best_free = 0;
    for (int k = 1; k <= size; ++k) {
        int const r = (root + k) % size;  // the root comes last
        int const free = thread_slots(r) - outstanding_[static_cast<std::size_t>(r)];
        if (free > best_free) {
            best = r;
            best_free = free;
        }
    }
    if (best >= 0) return best;
    for (int r = 0; r < size; ++r) {
        if (r == root) continue;
        int const free = thread_slots(r) + options_.prefetch - outstanding_[static_cast<std::size_t>(r)];
        if (free > best_free) {
            best = r;
            best_free = free;
        }
    }
    return best;
}

void ExecutorCore::dispatch() {
    if (released_ || abandoning_) return;
    while (!queue_.empty()) {
        int const rank = pick_rank();
        if (rank < 0) return;
        Queued task = std::move(queue_.front());
        queue_.pop_front();
        hand_out(std::move(task), rank);
    }
}

void ExecutorCore::hand_out(Queued task, int rank) {
    std::uint64_t const id = task.state->id();
    double const since = recorder_->now();
    task.state->set_running();
    auto const timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(options_.task_timeout_seconds));
    running_.emplace(id, Running{task.state, rank, std::chrono::steady_clock::now() + timeout});
    ++outstanding_[static_cast<std::size_t>(rank)];
    if (rank == options_.root) {
        Bytes inputs;
        append_task(inputs, task.name, task.args);
        local_->push(QueuedBlock{id, 1, std::move(inputs), 0});
        recorder_->dispatch(since, recorder_->now(), rank, id, 1);
        return;
    }
    Bytes buffer = transport_.take_buffer();
    MessageBuilder message(buffer);
    append_task(message.payload(), task.name, task.args);
    Header header{MessageKind::block, 0, id, 1};
    header.job_type = kExecutorJobType;
    message.finish(header, {});
    recorder_->sent(buffer.size());
    transport_.send(rank, kTaskTag, std::move(buffer));
    recorder_->dispatch(since, recorder_->now(), rank, id, 1);
}

bool ExecutorCore::expire_timeouts() {
    if (options_.task_timeout_seconds <= 0 || running_.size() == timed_out_) return false;
    auto const now = std::chrono::steady_clock::now();
    bool any = false;
    for (auto& [id, task] : running_) {
        if (!task.state || task.deadline > now) continue;
        task.state->end_with(
            std::make_exception_ptr(TimeoutError(
                "taskfarm: task " + std::to_string(id) + " ran over its " +
                shown_seconds(options_.task_timeout_seconds) + " s (ExecutorOptions.task_timeout_seconds) on rank " +
                std::to_string(task.rank) + "; it goes on running there and its result will be dropped")),
            false, ++completions_);
        callbacks_due_.push_back(std::move(task.state));
        task.state = nullptr;
        ++timed_out_;
        any = true;
    }
    return any;
}

void ExecutorCore::act_on_signal() {
    if (!options_.handle_signals) return;
    if (signal_ == 0) {
        if (int const pending = SignalLatch::pending(); pending != 0) {
            signal_ = pending;
            signal_rank_ = options_.root;
        }
    }
    if (signal_ == 0) return;
    int const signal = signal_;
    std::uint64_t const completed = completions_;
    std::string const message = "taskfarm: the executor was stopped by " + signal_name(signal) + " (caught on rank " +
                                std::to_string(signal_rank_) + "); " + std::to_string(completed) + " of " +
                                std::to_string(next_id_) + " submitted tasks had ended";
    auto const error = std::make_exception_ptr(Interrupted(message, signal, completed, next_id_));
    // Every future still open ends with the Interrupted; the outcomes still on their way are
    // dropped as they arrive (release_workers receives until each worker's Left).
    for (auto& task : queue_) task.state->end_with(error, false, ++completions_);
    queue_.clear();
    for (auto& [id, task] : running_) {
        if (!task.state) continue;
        task.state->end_with(error, false, ++completions_);
        task.state = nullptr;
        ++timed_out_;
    }
    callbacks_due_.clear();
    closing_ = true;
    interrupted_ = true;
    if (local_) local_->close();  // the tasks running there end on their own; nothing new starts
    release_workers(CallStatus::interrupted);
    SignalLatch::clear();  // acted on: the executor is what it stopped
    signal_ = 0;
    throw Interrupted(message, signal, completed, next_id_);
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

bool ExecutorCore::cancel(FutureStateBase& state) {
    if (state.cancelled()) return true;
    if (state.status() != FutureStatus::pending) return false;
    auto const it = std::find_if(queue_.begin(), queue_.end(),
                                 [&](Queued const& q) { return q.state.get() == &state; });
    if (it == queue_.end()) return false;
    auto keep = std::move(it->state);  // the state outlives its queue entry
    queue_.erase(it);
    state.end_with(std::make_exception_ptr(
                       CancelledError("taskfarm: task " + std::to_string(state.id()) + " was cancelled before it ran")),
                   true, ++completions_);
    state.run_callbacks();  // as Python's cancel() does
    return true;
}

void ExecutorCore::cancel_queued(bool run_callbacks) {
    for (auto& task : queue_) {
        task.state->end_with(
            std::make_exception_ptr(CancelledError("taskfarm: task " + std::to_string(task.state->id()) +
                                                   " was cancelled: the executor shut down before it ran")),
            true, ++completions_);
        if (run_callbacks) callbacks_due_.push_back(std::move(task.state));
    }
    queue_.clear();
}

void ExecutorCore::shutdown(bool wait, bool cancel_futures) {
    if (!is_root() || released_) return;
    if (cancel_futures) cancel_queued(true);
    if (!wait) {
        closing_ = true;
        return;
    }
    wait_idle();  // callbacks may still submit until everything is done
    closing_ = true;
    release_workers(CallStatus::ok);
}

void ExecutorCore::abandon() {
    if (!is_root() || released_) return;
    abandoning_ = true;
    closing_ = true;
    cancel_queued(false);
    callbacks_due_.clear();
    // Tasks out on ranks still come back (their workers answer them before they see Stop).
    progress_until_idle();
    release_workers(CallStatus::ok);
}

void ExecutorCore::release_workers(CallStatus status) {
    if (released_) return;
    released_ = true;
    int const size = comm_.size();
    for (int w = 0; w < size; ++w) {
        if (w == options_.root) continue;
        Bytes buffer = transport_.take_buffer();
        MessageBuilder stop(buffer);
        Header header{MessageKind::stop};
        header.status = status;
        stop.finish(header, {});
        transport_.send(w, kTaskTag, std::move(buffer));
    }
    // Each worker answers Left after its last outcome: with every Left in, nothing is left
    // unreceived. Workers answer at once (their main thread only drives), so the wait is short;
    // it is bounded all the same.
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    Backoff backoff;
    while (left_ < size - 1) {
        if (receive_outcomes()) {
            backoff.reset();
            continue;
        }
        transport_.progress_sends();
        if (std::chrono::steady_clock::now() >= deadline) {
            std::fprintf(stderr, "taskfarm: %d executor worker(s) did not answer the root's stop within 60 s\n",
                         size - 1 - left_);
            keep_communicator_ = true;
            break;
        }
        backoff.pause();
    }
    if (!transport_.wait_sends_for(std::chrono::seconds(10))) {
        transport_.abandon_sends();
        keep_communicator_ = true;
    }
    // The workers gather after a Stop that is ok; one that never answered would not (nor could
    // the gather end), so then nobody does.
    if (status == CallStatus::ok && gathers_trace() && !keep_communicator_) gather_trace();
}

void ExecutorCore::gather_trace() {
    CallTrace header;
    header.kind = "executor";
    header.root = options_.root;
    header.tasks = next_id_;
    header.wall_seconds = recorder_->now();
    auto const call = gather_call_trace(MPI_Comm(comm_), options_.root, *recorder_, std::move(header));
    if (!call) return;
    statistics_ = compute_statistics(*call);
    if (!options_.trace.empty()) write_chrome_trace_file(options_.trace, *call);
}

}  // namespace taskfarm::detail
