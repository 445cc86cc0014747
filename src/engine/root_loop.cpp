// The root's side of a call. It keeps every worker thread `prefetch` blocks ahead, answers each
// result with the next block, keeps its own threads' block queue full (its main thread runs
// blocks too, serving messages between sub-ranges), and waits with a sleeping back-off when it
// has nothing to run. With a journal it first feeds the journaled blocks
// to the job and schedules only what is pending, and it records every block it accepts. Failed
// tasks are retried on another rank. A signal (here, or a worker's message) stops the hand-out,
// tells the workers to drop what they have not started, and waits a bounded time for the rest.
// At the end it closes the journal and tells every worker how the call ended.
#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <taskfarm/errors.hpp>

#include "engine/backoff.hpp"
#include "engine/block_pool.hpp"
#include "engine/chunk_policy.hpp"
#include "engine/crash_report.hpp"
#include "engine/farm_core.hpp"
#include "engine/interrupt.hpp"
#include "engine/journal_session.hpp"
#include "engine/task_ledger.hpp"
#include "engine/task_ranges.hpp"
#include "engine/transport.hpp"
#include "engine/wire.hpp"
#include "trace/chrome_trace.hpp"
#include "trace/progress_meter.hpp"
#include "trace/statistics.hpp"
#include "trace/trace_gather.hpp"
#include "trace/trace_recorder.hpp"

namespace taskfarm::detail {

namespace {

using Clock = std::chrono::steady_clock;

std::string describe(std::exception_ptr const& error) {
    try {
        std::rethrow_exception(error);
    } catch (std::exception const& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

bool is_usage_error(std::exception_ptr const& error) {
    try {
        std::rethrow_exception(error);
    } catch (UsageError const&) {
        return true;
    } catch (...) {
        return false;
    }
}

class RootLoop {
public:
    RootLoop(FarmCore& core, Job& job)
        : core_(core),
          job_(job),
          transport_(core.comm),
          ranges_(job.size()),
          ledger_(job.size(), core.options.retries),
          policy_(core.options.chunk_size, core.options.chunk_seconds, core.total_slots()),
          outstanding_(static_cast<std::size_t>(core.size), 0),
          joined_(static_cast<std::size_t>(core.size), 0),
          join_deadline_(Clock::now() + seconds(core.options.join_timeout_seconds)),
          recorder_(core.rank, core.threads, core.options.root_computes || core.size == 1,
                    TraceRecorder::Settings{.keep_events = !core.options.trace.empty()}),
          // The root's main thread runs blocks too, polling between tasks, unless told to serve
          // only (long tasks: a task of its own would keep the workers waiting for their next).
          pool_(job, core.threads, [this] { service(); }, 0,
                core.size == 1 || !core.options.root_main_thread_serves) {}

    void run() {
        joined_[static_cast<std::size_t>(root())] = 1;
        missing_ = core_.size - 1;
        // Opening the journal may wait for its lock (Options.journal_lock_wait_seconds): tell the
        // workers first that the root is in the call, so none gives up on it meanwhile.
        if (!core_.options.journal.empty()) open_every_worker();
        try {
            resume_from_journal();
        } catch (...) {
            root_error_ = std::current_exception();
        }
        // A signal held since before the call (or the last one) stops it before any task runs.
        if (int const signal = SignalLatch::pending(); signal != 0) interrupt(signal);
        // Progress counts what this run does: tasks replayed from the journal are not in it.
        meter_.emplace(core_.options.progress, ranges_.remaining());
        reported_done_ = ledger_.done();
        reported_failed_ = ledger_.failed().size();
        // Each worker thread gets `prefetch` blocks, so none waits a round trip for the next.
        for (int round = 0; round < core_.options.prefetch; ++round)
            for (int w = 0; w < core_.size; ++w)
                for (int t = 0; w != root() && t < threads_of(w); ++t) dispatch(w);
        // Every worker hears from the root at once, so one waiting for a root that never joins
        // can tell (the Drain of an interrupt says it too).
        if (!opened_ && interrupted_ == 0)
            for (int w = 0; w < core_.size; ++w)
                if (w != root() && outstanding_[static_cast<std::size_t>(w)] == 0) send_open(w);

        pool_.run([this] {
            try {
                drive();
            } catch (...) {
                if (!root_error_) root_error_ = std::current_exception();
            }
        });
        finish();
    }

private:
    // The main thread's loop while the pool's other threads run the root's own blocks.
    void drive() {
        // A driver that does not compute sleeps longer: every wake-up takes a core from a thread
        // that computes, and blocks are milliseconds long, prefetched.
        Backoff backoff(std::chrono::microseconds(pool_.driver_runs_blocks() ? 250 : 500));
        for (;;) {
            bool const progressed = service();
            if (missing_ > 0 && core_.options.join_timeout_seconds > 0 && Clock::now() >= join_deadline_)
                give_up_on_missing_ranks();
            if (ledger_.has_retries() && !stopping()) top_up_workers();
            if (stopping()) pool_.drop_queued();  // not started: pending in the journal, or moot
            if (pool_.run_one()) {
                backoff.reset();
            } else if ((!can_compute() && in_flight_ == 0 && pool_.in_hand() == 0 && missing_ == 0) ||
                       grace_expired()) {
                // Every rank has joined: the Stop reaches a rank in this call, and the gather after
                // it has everyone.
                break;
            } else if (progressed) {
                backoff.reset();
            } else {
                sync_journal_if_due();
                double const since = recorder_.now();
                backoff.pause();
                recorder_.wait(since, recorder_.now());
            }
        }
    }


    int root() const { return core_.options.root; }
    int threads_of(int rank) const { return core_.rank_threads[static_cast<std::size_t>(rank)]; }
    bool alone() const { return core_.size == 1; }
    bool root_computes() const { return core_.options.root_computes || alone(); }
    // Retries go to another rank than the one they failed on, unless only one rank computes.
    bool one_computing_rank() const { return core_.size - (root_computes() ? 0 : 1) == 1; }
    bool stopping() const {
        return root_error_ != nullptr || interrupted_ != 0 ||
               (core_.options.on_error == OnError::stop && !ledger_.failed().empty());
    }
    bool has_work_for(int rank) const {
        return !ranges_.empty() || ledger_.has_retry_for(rank, one_computing_rank());
    }
    bool can_compute() const { return !stopping() && root_computes() && has_work_for(root()); }
    bool grace_expired() const { return interrupted_ != 0 && Clock::now() >= grace_deadline_; }
    static Clock::duration seconds(double s) {
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    }
    bool gone(int rank) const { return joined_[static_cast<std::size_t>(rank)] == kGone; }

    void open_every_worker() {
        for (int w = 0; w < core_.size; ++w)
            if (w != root()) send_open(w);
        opened_ = true;
    }

    void send_open(int worker) {
        Bytes buffer = transport_.take_buffer();
        MessageBuilder message(buffer);
        message.finish(Header{MessageKind::open, core_.calls}, {});
        transport_.send(worker, core_.tags.block, std::move(buffer));
    }

    // Some ranks never joined: the call ends with an error naming them, and nothing is waited for
    // from them (what they were sent stays pending, in the journal too).
    void give_up_on_missing_ranks() {
        std::string ranks;
        for (int w = 0; w < core_.size; ++w) {
            if (joined_[static_cast<std::size_t>(w)] != 0) continue;
            ranks += (ranks.empty() ? "" : ", ") + std::to_string(w);
            write_off(w);
        }
        missing_ = 0;
        if (!root_error_)
            root_error_ = std::make_exception_ptr(UsageError(
                "taskfarm: rank" + std::string(ranks.find(',') == std::string::npos ? " " : "s ") + ranks +
                " did not join this " + job_.call_kind() + " call within " + shown_seconds() +
                " s (Options.join_timeout_seconds): farm calls are collective, so every rank must make the same "
                "farm calls in the same order"));
    }

    std::string shown_seconds() const {
        std::string text = std::to_string(core_.options.join_timeout_seconds);
        while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) text.pop_back();
        return text;
    }

    // Nothing more is expected from `rank`: its blocks in flight will not be answered.
    void write_off(int rank) {
        has_written_off_ = true;
        auto& outstanding = outstanding_[static_cast<std::size_t>(rank)];
        in_flight_ -= outstanding;
        outstanding = 0;
        joined_[static_cast<std::size_t>(rank)] = kGone;
    }

    // The handshake's messages: a Join (maybe with the signal the worker holds), or a Left.
    void handle_handshake(int worker, Header const& h) {
        if (h.call != core_.calls) {
            if (!root_error_)
                root_error_ = std::make_exception_ptr(UsageError(
                    "taskfarm: rank " + std::to_string(worker) + " is in its farm call #" + std::to_string(h.call) +
                    " while the root is in #" + std::to_string(core_.calls) +
                    ": farm calls are collective, so every rank must make the same farm calls in the same order"));
            return;
        }
        if (h.kind == MessageKind::left) {
            if (!root_error_)
                root_error_ = std::make_exception_ptr(UsageError(
                    "taskfarm: rank " + std::to_string(worker) + " gave up waiting for the root to join this " +
                    job_.call_kind() + " call (Options.join_timeout_seconds): farm calls are collective"));
            write_off(worker);
            return;
        }
        if (joined_[static_cast<std::size_t>(worker)] == 0) {
            joined_[static_cast<std::size_t>(worker)] = 1;
            --missing_;
        }
        if (h.job_type != 0) interrupt(static_cast<int>(h.job_type));
    }

    // Replays the journaled blocks into the job and leaves only the pending tasks to schedule.
    void resume_from_journal() {
        if (core_.options.journal.empty()) return;
        journal_ = JournalSession(core_.options, core_.section, job_);
        auto& replay = journal_.replay();
        for (auto const& block : replay.blocks) {
            auto const skip = ledger_.skipped(block.first, block.count, block.failures);
            job_.accept_results(block.first, block.count, block.payload, skip);
            ledger_.mark_done(block.first, block.count, skip);
        }
        // Everything not pending is done: carve it out of what is handed out.
        std::uint64_t next = 0;
        for (auto const& range : replay.pending()) {
            if (range.first > next) ranges_.remove(next, range.first - next);
            next = range.first + range.count;
        }
        if (job_.size() > next) ranges_.remove(next, job_.size() - next);
        journal_.drop_replay();
        set_culprits_aside();
    }

    // A task that was running at each of the last two crashes of this call is not run a third
    // time: it fails for good (the failure policy then applies), with a message that says why.
    void set_culprits_aside() {
        std::string const file = crash_file_of(core_.options.journal);
        std::string how;
        for (std::uint64_t task : likely_culprits(file, core_.run_id, core_.section, how)) {
            if (task >= job_.size() || ranges_.remove(task, 1) == 0) continue;  // done since
            ledger_.fail_for_good(TaskFailure{
                task, -1,
                "task " + std::to_string(task) + " was running when a rank died (" + how +
                    ") in each of the last two runs, so it is not run again: it is the likely culprit. Fix it, "
                    "then delete '" + file + "' to run it again"});
        }
    }

    // The next block for `rank`: a retry that may run there, else the next range.
    std::optional<TaskRange> next_block(int rank, int slots) {
        if (auto const retry = ledger_.take_retry(rank, one_computing_rank())) return TaskRange{*retry, 1};
        return ranges_.take(policy_.next_size(slots, ranges_.remaining()));
    }

    void dispatch(int worker) {
        if (stopping() || gone(worker)) return;
        auto const range = next_block(worker, 1);  // a block runs on one thread
        if (!range) return;
        double const since = recorder_.now();
        Bytes buffer = transport_.take_buffer();
        MessageBuilder message(buffer);
        try {
            job_.encode_inputs(range->first, range->count, message.payload());
        } catch (...) {
            root_error_ = std::current_exception();
            transport_.give_buffer(std::move(buffer));
            return;
        }
        if (journal_.active())
            input_hashes_[range->first] = JournalSession::input_hash(ByteView(message.payload()).subspan(sizeof(Header)));
        Header header{MessageKind::block, core_.calls, range->first, range->count};
        header.job_type = job_.type_id();
        message.finish(header, {});
        recorder_.sent(buffer.size());
        transport_.send(worker, core_.tags.block, std::move(buffer));
        recorder_.dispatch(since, recorder_.now(), worker, range->first, range->count);
        ++outstanding_[static_cast<std::size_t>(worker)];
        ++in_flight_;
    }

    // Retries appear while workers may be idle (nothing in flight): give them one.
    void top_up_workers() {
        for (int w = 0; w < core_.size; ++w)
            if (w != root() && !gone(w) && outstanding_[static_cast<std::size_t>(w)] < core_.options.prefetch * threads_of(w) &&
                ledger_.has_retry_for(w, one_computing_rank()))
                dispatch(w);
    }

    // Takes every message that has arrived and answers it; true if anything happened.
    bool service() {
        bool progressed = false;
        if (int const signal = SignalLatch::pending(); signal != 0) interrupt(signal);
        while (auto received = transport_.try_receive(MPI_ANY_SOURCE, core_.tags.result)) {
            progressed = true;
            recorder_.received(received->bytes.size());
            handle_message(received->source, received->bytes);
            transport_.give_buffer(std::move(received->bytes));
        }
        if (take_payloads()) progressed = true;
        while (auto done = pool_.pop_finished()) {
            progressed = true;
            collect_local(*done);
        }
        fill_local_queue();
        transport_.progress_sends();
        return progressed;
    }

    void handle_message(int worker, Bytes const& bytes) {
        MessageView message;
        try {
            message = parse_message(bytes);
        } catch (...) {
            if (!root_error_) root_error_ = std::current_exception();
            return;
        }
        // A large result's head: its payload follows on its own (even a late one: it must be taken).
        if (message.header.kind == MessageKind::result_head) {
            receive_payload(worker, std::move(message));
            return;
        }
        // Late answers of an earlier call that was interrupted: nobody waits for them any more.
        if (message.header.call < core_.calls || gone(worker)) return;
        if (message.header.kind == MessageKind::join || message.header.kind == MessageKind::left) {
            handle_handshake(worker, message.header);
            return;
        }
        if (message.header.kind == MessageKind::signal) {
            interrupt(static_cast<int>(message.header.job_type));
            return;
        }
        answer(worker, message);
    }

    // A worker's answer for a block: account for it, accept it, and send that worker the next.
    void answer(int worker, MessageView const& message) {
        // Count the answer first: whatever is wrong with it, the worker has one block fewer.
        --outstanding_[static_cast<std::size_t>(worker)];
        --in_flight_;
        try {
            if (message.header.kind != MessageKind::result || message.header.call != core_.calls)
                throw Error("taskfarm: rank " + std::to_string(worker) +
                            " answered for another farm call (do all ranks make the same farm calls?)");
            handle_result(worker, message);
        } catch (...) {
            if (!root_error_) root_error_ = std::current_exception();
        }
        dispatch(worker);
    }

    // The payload of a split result (wire.hpp) is received where the job wants it: straight into
    // map's output for raw results, so nothing is copied after MPI, else into a buffer. In place
    // only when every task of the block is new and succeeded: otherwise some of its bytes must not
    // land in the output.
    void receive_payload(int worker, MessageView&& head) {
        Header const& h = head.header;
        PendingPayload pending{worker, std::move(head), {}, 0};
        std::byte* into = nullptr;
        if (h.call == core_.calls && !root_error_ && pending.head.failures.empty() &&
            ledger_.skipped(h.first, h.count, {}).empty())
            into = job_.result_destination(h.first, h.count, h.payload_bytes);
        if (into == nullptr) {
            pending.buffer = transport_.take_buffer();
            pending.buffer.resize(h.payload_bytes);
            into = pending.buffer.data();
        }
        pending.head.payload = ByteView(into, h.payload_bytes);
        pending.receive = transport_.start_receive(worker, core_.tags.payload, {into, h.payload_bytes});
        payloads_.push_back(std::move(pending));
    }

    // Answers every split result whose payload has arrived; true if any had.
    bool take_payloads() {
        bool any = false;
        for (std::size_t i = 0; i < payloads_.size();) {
            if (!transport_.receive_done(payloads_[i].receive)) {
                ++i;
                continue;
            }
            any = true;
            PendingPayload done = std::move(payloads_[i]);
            payloads_.erase(payloads_.begin() + static_cast<std::ptrdiff_t>(i));
            recorder_.received(done.head.header.payload_bytes);
            done.head.header.kind = MessageKind::result;
            if (done.head.header.call == core_.calls && !gone(done.worker)) answer(done.worker, done.head);
            if (done.buffer.capacity() > 0) transport_.give_buffer(std::move(done.buffer));
        }
        return any;
    }

    // At the end of a call every payload announced must have been taken (it would otherwise
    // match a receive of the next call). They are on their way; a dead worker's never come.
    void settle_payloads() {
        Backoff backoff(std::chrono::milliseconds(1));
        auto const deadline = Clock::now() + std::chrono::seconds(60);
        while (!payloads_.empty() && Clock::now() < deadline) {
            if (!take_payloads()) backoff.pause();
        }
        transport_.cancel_receives();
        payloads_.clear();
    }

    void handle_result(int worker, MessageView const& message) {
        Header const& h = message.header;
        std::uint64_t const input_hash = take_input_hash(h.first);
        std::string const detail = message.failures.empty() ? std::string("unknown error") : message.failures.front().message;
        switch (h.status) {
            case CallStatus::ok:
                policy_.observe(h.count, h.seconds, 1);
                accept(h.first, h.count, message.payload, message.failures, input_hash);
                return;
            case CallStatus::dropped:  // not started: its tasks are pending in the journal
                return;
            case CallStatus::wrong_call:
                throw UsageError(detail);
            default:
                throw Error("taskfarm: rank " + std::to_string(worker) + " could not run tasks [" +
                            std::to_string(h.first) + ", " + std::to_string(h.first + h.count) + "): " + detail);
        }
    }

    void accept(std::uint64_t first, std::uint64_t count, ByteView payload, std::vector<TaskFailure> const& failures,
                std::uint64_t input_hash) {
        if (root_error_) return;
        try {
            auto const skip = ledger_.skipped(first, count, failures);
            job_.accept_results(first, count, payload, skip);
            ledger_.mark_done(first, count, skip);
            journal_.append(first, count, payload, input_hash, failures);
        } catch (...) {
            root_error_ = std::current_exception();
            return;
        }
        for (auto const& f : failures) ledger_.record_failure(f);
        report_progress();
    }

    void report_progress() {
        std::uint64_t const done = ledger_.done();
        std::size_t const failed = ledger_.failed().size();
        if (done == reported_done_ && failed == reported_failed_) return;
        if (meter_) meter_->add(done - reported_done_, failed - reported_failed_);
        reported_done_ = done;
        reported_failed_ = failed;
    }

    // Every rank's trace to the root, for the statistics and the trace file. A collective, so it
    // is skipped unless the call ended well (all done, or tasks failed): after an interrupt or an
    // error a rank may be gone. Every rank knows which from the Stop (call_gathers_trace).
    void gather_trace() {
        if (!core_.gathers_trace() || interrupted_ != 0 || root_error_) return;
        CallTrace header;
        header.call = core_.calls - 1;
        header.kind = job_.call_kind();
        header.root = root();
        header.tasks = job_.size();
        header.wall_seconds = recorder_.now();
        auto const call = gather_call_trace(core_.comm, root(), recorder_, std::move(header));
        if (!call) return;
        core_.statistics = compute_statistics(*call);
        if (!core_.options.trace.empty())
            write_chrome_trace_file(trace_path_for_call(core_.options.trace, core_.calls - 1), *call);
    }

    // Keeps one block queued per root thread, so a thread that finishes finds the next at once.
    void fill_local_queue() {
        while (can_compute() && pool_.queued() < static_cast<std::size_t>(core_.threads)) {
            auto const range = next_block(root(), 1);
            if (!range) return;
            QueuedBlock block{range->first, range->count, {}};
            try {
                job_.encode_inputs(range->first, range->count, block.inputs);
            } catch (...) {
                root_error_ = std::current_exception();
                return;
            }
            if (journal_.active()) input_hashes_[range->first] = JournalSession::input_hash(block.inputs);
            pool_.push(std::move(block));
        }
    }

    // The hash of a block's inputs, recorded when it was handed out (0 without a journal).
    std::uint64_t take_input_hash(std::uint64_t first) {
        auto const it = input_hashes_.find(first);
        if (it == input_hashes_.end()) return 0;
        std::uint64_t const hash = it->second;
        input_hashes_.erase(it);
        return hash;
    }

    void collect_local(FinishedBlock& done) {
        std::uint64_t const input_hash = take_input_hash(done.first);
        for (auto& f : done.failures) f.rank = root();
        if (done.failed_whole) {
            if (!root_error_)
                root_error_ = std::make_exception_ptr(
                    Error("taskfarm: the root could not run tasks [" + std::to_string(done.first) + ", " +
                          std::to_string(done.first + done.count) + "): " + done.failures.front().message));
            return;
        }
        recorder_.block(done.thread, done.start, done.end, done.first, done.count);
        policy_.observe(done.count, done.seconds(), 1);
        std::sort(done.failures.begin(), done.failures.end(),
                  [](TaskFailure const& a, TaskFailure const& b) { return a.index < b.index; });
        accept(done.first, done.count, done.results, done.failures, input_hash);
    }

    void sync_journal_if_due() {
        if (root_error_) return;
        try {
            journal_.sync_if_due();
        } catch (...) {
            root_error_ = std::current_exception();
        }
    }

    // Stop handing out work; workers drop the blocks they have not started and answer them
    // `dropped`, so what is in flight shrinks to the blocks running now.
    void interrupt(int signal) {
        if (interrupted_ != 0) return;
        interrupted_ = signal;
        grace_deadline_ = Clock::now() + seconds(core_.options.interrupt_grace_seconds);
        for (int w = 0; w < core_.size; ++w) {
            if (w == root()) continue;
            Bytes buffer = transport_.take_buffer();
            MessageBuilder message(buffer);
            message.finish(Header{MessageKind::drain, core_.calls}, {});
            transport_.send(w, core_.tags.block, std::move(buffer));
        }
    }

    std::string interrupted_message() const {
        std::string text = "interrupted by " + signal_name(interrupted_) + ": " + std::to_string(ledger_.done()) +
                           " of " + std::to_string(ledger_.tasks()) + " tasks done; ";
        if (journal_.active()) return text + "run again with the same journal to resume";
        return text + "no journal was set (Options::journal), so running again starts over";
    }

    void finish() {
        settle_payloads();
        // The journal is complete before anyone hears the outcome: a program that exits right
        // after the call finds it sealed.
        try {
            journal_.close(root_error_ != nullptr || interrupted_ != 0);
        } catch (...) {
            root_error_ = std::current_exception();
        }
        Header header{MessageKind::stop, core_.calls};
        std::vector<TaskFailure> report;
        if (root_error_) {
            header.status = is_usage_error(root_error_) ? CallStatus::usage_error : CallStatus::root_failed;
            report.push_back(TaskFailure{0, root(), describe(root_error_)});
        } else if (interrupted_ != 0) {
            header.status = CallStatus::interrupted;
            header.first = ledger_.done();
            header.count = ledger_.tasks();
            header.job_type = static_cast<std::uint64_t>(interrupted_);
            report.push_back(TaskFailure{0, root(), interrupted_message()});
        } else if (!ledger_.failed().empty()) {
            header.status = CallStatus::task_failed;
            report = ledger_.failed();
        }
        for (int w = 0; w < core_.size; ++w) {
            if (w == root()) continue;
            Bytes buffer = transport_.take_buffer();
            MessageBuilder message(buffer);
            message.finish(header, report);
            transport_.send(w, core_.tags.block, std::move(buffer));
        }
        // Stop messages are small and every live worker takes them; the bound is for dead ones.
        if (!transport_.wait_sends_for(std::chrono::seconds(60))) transport_.abandon_sends();
        // Answers given up on (grace over) or sent to ranks that never joined may still come.
        if (in_flight_ != 0 || has_written_off_) core_.keep_communicator = true;
        if (meter_) meter_->finish();
        core_.statistics = Statistics{};
        try {
            gather_trace();
        } catch (...) {
            if (!root_error_) root_error_ = std::current_exception();  // an unwritable trace file
        }
        if (interrupted_ != 0) SignalLatch::clear();  // acted on: this call is what it stopped
        if (root_error_) std::rethrow_exception(root_error_);
        if (interrupted_ != 0) throw Interrupted(interrupted_message(), interrupted_, ledger_.done(), ledger_.tasks());
        if (!ledger_.failed().empty()) throw TaskError(ledger_.failed());
    }

    FarmCore& core_;
    Job& job_;
    Transport transport_;
    TaskRanges ranges_;
    TaskLedger ledger_;
    ChunkPolicy policy_;
    JournalSession journal_;
    std::vector<int> outstanding_;
    static constexpr char kGone = 2;
    std::vector<char> joined_;  // per rank: 0 not yet, 1 joined, kGone: nothing more expected from it
    int missing_ = 0;           // workers not joined yet
    bool has_written_off_ = false;
    bool opened_ = false;  // every worker was sent an Open
    Clock::time_point join_deadline_;
    std::map<std::uint64_t, std::uint64_t> input_hashes_;  // first task of a block in flight -> its inputs' hash
    int in_flight_ = 0;
    struct PendingPayload {
        int worker;
        MessageView head;  // its payload: where the payload is being received
        Bytes buffer;      // that place, unless it is the job's own
        std::size_t receive;
    };
    std::vector<PendingPayload> payloads_;  // split results whose payload is on its way
    int interrupted_ = 0;  // the signal that stopped the call
    Clock::time_point grace_deadline_{};
    std::exception_ptr root_error_;
    TraceRecorder recorder_;
    std::optional<ProgressMeter> meter_;  // made once the journal says what is left to run
    std::uint64_t reported_done_ = 0;   // what the progress meter has been told
    std::size_t reported_failed_ = 0;
    BlockPool pool_;  // last: its threads use the members above
};

}  // namespace

void run_root(FarmCore& core, Job& job) {
    RootLoop loop(core, job);
    loop.run();
}

}  // namespace taskfarm::detail
