// A sub-master's side of a call (Options::group_size): a worker to the root, a root to its group.
// It takes large blocks from the root, farms them out again in blocks sized for one thread to
// its group's workers (ordinary workers: worker_loop.cpp, the same protocol) and to its own
// threads, and sends the results up in batches as they come; once every task of a block from the
// root has been answered, the batch says so, and the root sends the next. A Drain or Stop from
// the root goes down to the group; a signal or an error in the group goes up.
#include <algorithm>
#include <chrono>
#include <deque>
#include <string>

#include "engine/backoff.hpp"
#include "engine/block_pool.hpp"
#include "engine/call_outcome.hpp"
#include "engine/chunk_policy.hpp"
#include "engine/farm_core.hpp"
#include "engine/interrupt.hpp"
#include "engine/payload_receiver.hpp"
#include "engine/task_ranges.hpp"
#include "engine/transport.hpp"
#include "trace/trace_gather.hpp"
#include "trace/trace_recorder.hpp"

namespace taskfarm::detail {

namespace {

using Clock = std::chrono::steady_clock;

Clock::time_point after(double seconds) {
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

class SubMaster {
public:
    SubMaster(FarmCore& top, FarmCore& group, Job& job)
        : top_(top),
          group_(group),
          job_(job),
          up_(top.comm),
          down_(group.comm),
          policy_(group.options.chunk_size, group.options.chunk_seconds, group.total_slots()),
          outstanding_(static_cast<std::size_t>(group.size)),
          joined_(static_cast<std::size_t>(group.size), 0),
          missing_(group.size - 1),
          deadline_(after(group.options.join_timeout_seconds)),
          recorder_(top.farm_rank(), top.threads, true,
                    TraceRecorder::Settings{.keep_events = !top.options.trace.empty()}),
          payloads_(down_, group.tags.payload),
          pool_(
              job, group.threads, [this] { service(); }, sizeof(Header)) {}

    void run() {
        Header join{MessageKind::join, top_.calls};
        if (int const signal = SignalLatch::pending(); signal != 0) join.job_type = static_cast<std::uint64_t>(signal);
        signalled_ = join.job_type != 0;
        send(up_, 0, top_.tags.result, join);
        for (int w = 1; w < group_.size; ++w)
            send(down_, w, group_.tags.block, Header{MessageKind::open, group_.calls});
        pool_.run([this] { drive(); });
        end();
    }

private:
    struct Answer {  // a piece's answer, kept until its block closes
        Header header;
        Bytes results;
        std::vector<TaskFailure> failures;
    };
    struct Held {                          // a block from the root, farmed out piece by piece
        std::uint64_t first, count, next;  // next: the first task not yet farmed out
        Bytes message;                     // the Block as it came; its inputs are `inputs`
        ByteView inputs;
        int open = 0;                 // its pieces out or queued, not yet answered
        std::vector<Answer> answers;  // the pieces answered (all but the dropped ones)
    };

    void drive() {
        Backoff backoff;
        for (;;) {
            bool progressed = true;
            try {
                progressed = service();
            } catch (...) {  // the root hears it and ends the call; this loop goes on to the Stop
                fail_up(describe(std::current_exception()));
            }
            if (missing_ > 0 && group_.options.join_timeout_seconds > 0 && Clock::now() >= deadline_)
                give_up_on_group();
            if (!root_seen_ && top_.options.join_timeout_seconds > 0 && Clock::now() >= deadline_)
                return root_missing();
            bool const idle = held_.empty() && pool_.in_hand() == 0 && in_flight_ == 0 && missing_ == 0;
            if (pool_.run_one() || progressed) {
                backoff.reset();
            } else if (stopped_ && (idle || Clock::now() >= stop_deadline_)) {
                return;
            } else {
                double const since = recorder_.now();  // asleep: a wait, as on the root and workers
                backoff.pause();
                recorder_.wait(since, recorder_.now());
            }
        }
    }

    bool service() {
        bool progressed = false;
        if (!signalled_ && SignalLatch::pending() != 0) signal_up(SignalLatch::pending());
        while (!stopped_) {  // nothing after the root's Stop: it belongs to the next call
            auto received = up_.try_receive(0, top_.tags.block);
            if (!received) break;
            progressed = root_seen_ = true;
            recorder_.received(received->bytes.size());
            from_root(std::move(received->bytes));
        }
        while (auto received = down_.try_receive(kAnySource, group_.tags.result)) {
            progressed = true;
            recorder_.received(received->bytes.size());
            from_group(received->source, parse_message(received->bytes));
        }
        progressed |= payloads_.take([this](int w, MessageView const& m) { from_group(w, MessageView(m)); });
        for (; auto done = pool_.pop_finished(); progressed = true) local_done(*done);
        hand_out();
        if (!batch_.empty()) flush();
        up_.progress_sends();
        down_.progress_sends();
        return progressed;
    }

    void from_root(Bytes&& bytes) {
        MessageView const message = parse_message(bytes);
        if (message.header.call != top_.calls)
            throw Error(
                "taskfarm: rank " + std::to_string(top_.farm_rank()) +
                " (a sub-master) received a message of another farm call (do all ranks make the same farm calls?)");
        switch (message.header.kind) {
            case MessageKind::block:
                if (message.header.job_type != job_.type_id() || signalled_) return refuse(message.header);
                held_.push_back(Held{message.header.first, message.header.count, message.header.first, {}, {}, 0, {}});
                held_.back().inputs = message.payload;
                held_.back().message = std::move(bytes);
                return;
            case MessageKind::drain:
                return drain();
            case MessageKind::stop:
                stopped_ = true;
                stop_ = std::move(bytes);
                stop_deadline_ = after(top_.options.interrupt_grace_seconds);
                return drain();  // the root waits for nothing more: what has not started never will
            default:
                return;  // Open
        }
    }

    // A block this rank will not run (another call's, or a signal here): the root hears at once.
    void refuse(Header const& block) {
        Header result{MessageKind::result, top_.calls, block.first, block.count};
        std::vector<TaskFailure> failures;
        if (block.job_type != job_.type_id()) {
            result.status = CallStatus::wrong_call;
            failures.push_back(
                {block.first, top_.farm_rank(),
                 "taskfarm: rank " + std::to_string(top_.farm_rank()) + " makes a " + job_.call_kind() +
                     " call that differs from the root's: every rank must make the same farm calls in the same order"});
        } else {
            result.status = CallStatus::dropped;
        }
        entry(result, {}, failures);
        Held refused{block.first, block.count, block.first + block.count, {}, {}, 0, {}};
        close(refused);
    }

    void from_group(int worker, MessageView&& message) {
        Header const& h = message.header;
        if (h.kind == MessageKind::result_head) return payloads_.expect(worker, std::move(message), nullptr);
        if (h.call != group_.calls) return;
        auto& state = joined_[static_cast<std::size_t>(worker)];
        if (h.kind == MessageKind::join && state == 0) state = 1, --missing_;
        if (h.kind == MessageKind::left)
            fail_up("taskfarm: rank " + std::to_string(group_.farm_rank(worker)) +
                    " gave up waiting for its sub-master, rank " + std::to_string(top_.farm_rank()) +
                    ", to join this " + job_.call_kind() +
                    " call (Options.join_timeout_seconds): farm calls are collective");
        if (h.kind == MessageKind::join || h.kind == MessageKind::signal) {
            if (h.job_type != 0) signal_up(static_cast<int>(h.job_type));
            return;
        }
        if (h.kind != MessageKind::result || state == kGone) return;
        auto& out = outstanding_[static_cast<std::size_t>(worker)];
        if (auto it = std::find(out.begin(), out.end(), h.first); it != out.end()) out.erase(it);
        --in_flight_;
        answered(h, message.payload, message.failures);
    }

    // A piece is answered: its answer waits in its block, which goes up once every piece is in.
    void answered(Header const& h, ByteView results, std::vector<TaskFailure> failures) {
        if (h.status == CallStatus::ok) policy_.observe(h.count, h.seconds, 1);
        for (auto& f : failures)
            if (f.rank < 0) f.rank = top_.farm_rank();  // its own threads' (the workers' name themselves)
        auto it = std::find_if(held_.begin(), held_.end(),
                               [&](Held const& b) { return h.first >= b.first && h.first < b.first + b.count; });
        if (it == held_.end()) {  // no block of ours (cannot happen): the root still hears it
            if (h.status != CallStatus::dropped) entry(h, results, failures);
            return;
        }
        if (h.status != CallStatus::dropped)
            it->answers.push_back(Answer{h, Bytes(results.begin(), results.end()), std::move(failures)});
        --it->open;
        if (it->open == 0 && it->next == it->first + it->count) {
            close(*it);
            held_.erase(it);
        }
    }

    void local_done(FinishedBlock& done) {
        recorder_.block(done.thread, done.start, done.end, done.first, done.count);
        Header h{MessageKind::result, top_.calls, done.first, done.count};
        h.seconds = done.seconds();
        if (done.failed_whole) h.status = CallStatus::block_failed;
        for (auto& f : done.failures) f.rank = top_.farm_rank();
        Bytes results(done.results.begin() + static_cast<std::ptrdiff_t>(sizeof(Header)), done.results.end());
        answered(h, results, std::move(done.failures));
    }

    void entry(Header const& h, ByteView results, std::vector<TaskFailure> const& failures) {
        Bytes message;
        MessageBuilder builder(message);
        builder.payload().insert(builder.payload().end(), results.begin(), results.end());
        builder.finish(h, failures);
        append_batch_entry(batch_, message);
    }
    // A block is complete: its answers go up, joined into one when every task of it ran well
    // (the root then accepts, journals and folds it once), else piece by piece, and then the
    // entry that closes it.
    void close(Held& held) {
        std::sort(held.answers.begin(), held.answers.end(),
                  [](Answer const& a, Answer const& b) { return a.header.first < b.header.first; });
        if (!merge(held))
            for (Answer const& a : held.answers) entry(a.header, a.results, a.failures);
        Header closes{MessageKind::result, top_.calls, held.first, 0};
        closes.status = CallStatus::dropped;
        closes.job_type = kClosesBlock;
        entry(closes, {}, {});
    }
    bool merge(Held const& held) {
        if (held.answers.size() < 2) return false;
        std::uint64_t covered = 0;
        double seconds = 0;
        std::vector<Job::Piece> pieces;
        for (Answer const& a : held.answers) {
            if (a.header.status != CallStatus::ok || !a.failures.empty() || a.header.first != held.first + covered)
                return false;
            covered += a.header.count;
            seconds += a.header.seconds;
            pieces.push_back({a.header.first, a.header.count, a.results});
        }
        if (covered != held.count) return false;
        Bytes joined;
        try {
            if (!job_.merge_results(pieces, joined)) return false;
        } catch (...) {  // the pieces go up as they are, and the root finds what is wrong with them
            return false;
        }
        Header whole{MessageKind::result, top_.calls, held.first, held.count};
        whole.seconds = seconds;
        entry(whole, joined, {});
        return true;
    }
    void flush() {
        Bytes buffer;
        MessageBuilder message(buffer);
        message.payload().insert(message.payload().end(), batch_.begin(), batch_.end());
        message.finish(Header{MessageKind::result_batch, top_.calls}, {});
        recorder_.sent(buffer.size());
        up_.send(0, top_.tags.result, std::move(buffer));
        batch_.clear();
    }

    // The next piece: from the oldest block with tasks left, sized for one thread.
    std::optional<std::pair<Held*, TaskRange>> next_piece() {
        std::uint64_t left = 0;
        for (auto const& h : held_) left += h.first + h.count - h.next;
        for (auto& h : held_) {
            std::uint64_t const here = h.first + h.count - h.next;
            if (here == 0) continue;
            TaskRange const piece{h.next, std::min(here, policy_.next_size(1, left))};
            h.next += piece.count;
            ++h.open;
            return std::pair{&h, piece};
        }
        return std::nullopt;
    }

    void hand_out() {
        for (int w = 1; w < group_.size; ++w) {
            auto& out = outstanding_[static_cast<std::size_t>(w)];
            while (joined_[static_cast<std::size_t>(w)] != kGone &&
                   static_cast<int>(out.size()) <
                       group_.options.prefetch * group_.rank_threads[static_cast<std::size_t>(w)]) {
                auto const piece = next_piece();
                if (!piece) return;
                Bytes buffer;
                MessageBuilder message(buffer);
                if (!slice(*piece, message.payload())) return;
                Header header{MessageKind::block, group_.calls, piece->second.first, piece->second.count};
                header.job_type = job_.type_id();
                message.finish(header, {});
                recorder_.sent(buffer.size());
                down_.send(w, group_.tags.block, std::move(buffer));
                out.push_back(piece->second.first);
                ++in_flight_;
            }
        }
        while (pool_.queued() < static_cast<std::size_t>(group_.threads)) {
            auto const piece = next_piece();
            if (!piece) return;
            QueuedBlock block{piece->second.first, piece->second.count, {}};
            if (!slice(*piece, block.inputs)) return;
            pool_.push(std::move(block));
        }
    }

    // A piece's inputs, cut from its block's; if that fails, the root hears why and the piece is
    // answered as not run, so its block still closes.
    bool slice(std::pair<Held*, TaskRange> const& piece, Bytes& out) {
        try {
            job_.slice_inputs(piece.first->first, piece.first->count, piece.first->inputs, piece.second.first,
                              piece.second.count, out);
            return true;
        } catch (...) {
            fail_up(describe(std::current_exception()));
            Header dropped{MessageKind::result, top_.calls, piece.second.first, piece.second.count};
            dropped.status = CallStatus::dropped;
            drain();
            answered(dropped, {}, {});
            return false;
        }
    }

    // Nothing more starts: what is not farmed out yet is dropped, and so is what is queued here
    // and on the group's workers (they answer it `dropped`).
    void drain() {
        for (auto& h : held_) h.next = h.first + h.count;
        for (QueuedBlock const& block : pool_.drop_queued()) {
            Header dropped{MessageKind::result, top_.calls, block.first, block.count};
            dropped.status = CallStatus::dropped;
            answered(dropped, {}, {});
        }
        if (!drained_)
            for (int w = 1; w < group_.size; ++w)
                send(down_, w, group_.tags.block, Header{MessageKind::drain, group_.calls});
        drained_ = true;
        for (auto it = held_.begin(); it != held_.end();)
            if (it->open == 0) close(*it), it = held_.erase(it);
            else ++it;
    }

    void signal_up(int signal) {
        if (signalled_) return;
        signalled_ = true;
        Header header{MessageKind::signal, top_.calls};
        header.job_type = static_cast<std::uint64_t>(signal);
        send(up_, 0, top_.tags.result, header);
    }
    void fail_up(std::string message) {
        Header failed{MessageKind::result, top_.calls};
        failed.status = CallStatus::wrong_call;  // the root ends the call with a UsageError
        entry(failed, {}, {TaskFailure{0, top_.farm_rank(), std::move(message)}});
    }

    // Ranks of the group that never joined: the root hears why; nothing is waited for from them.
    void give_up_on_group() {
        std::string ranks;
        for (int w = 1; w < group_.size; ++w) {
            auto& state = joined_[static_cast<std::size_t>(w)];
            if (state != 0) continue;
            ranks += (ranks.empty() ? "" : ", ") + std::to_string(group_.farm_rank(w));
            state = kGone;
            for (std::uint64_t first : outstanding_[static_cast<std::size_t>(w)]) {
                Header lost{MessageKind::result, top_.calls, first, 0};
                lost.status = CallStatus::dropped;
                --in_flight_;
                answered(lost, {}, {});
            }
            outstanding_[static_cast<std::size_t>(w)].clear();
        }
        missing_ = 0;
        top_.keep_communicator = group_.keep_communicator = true;
        std::string seconds = std::to_string(group_.options.join_timeout_seconds);
        while (seconds.find('.') != std::string::npos && (seconds.back() == '0' || seconds.back() == '.'))
            seconds.pop_back();
        fail_up("taskfarm: rank" + std::string(ranks.find(',') == std::string::npos ? " " : "s ") + ranks +
                " did not join this " + job_.call_kind() + " call within " + seconds +
                " s (Options.join_timeout_seconds): farm calls are collective, so every rank must make the same "
                "farm calls in the same order");
    }

    void root_missing() {
        send(up_, 0, top_.tags.result, Header{MessageKind::left, top_.calls});
        top_.keep_communicator = group_.keep_communicator = true;
        Bytes stop;
        write_stop(
            stop, group_.calls,
            outcome_of_error(
                std::make_exception_ptr(UsageError(
                    "taskfarm: rank " + std::to_string(top_.farm_rank()) + " waited " +
                    std::to_string(static_cast<long>(top_.options.join_timeout_seconds)) +
                    " s (Options.join_timeout_seconds) for the root, rank " + std::to_string(top_.whole_root()) +
                    ", to join this " + job_.call_kind() +
                    " call: farm calls are collective, so every rank must make the same farm calls in the same order")),
                0));
        stop_ = std::move(stop);
        stopped_ = true;
    }

    void end() {
        payloads_.settle([this](int w, MessageView const& m) { from_group(w, MessageView(m)); });
        if (!batch_.empty()) flush();
        for (int w = 1; w < group_.size; ++w) down_.send(w, group_.tags.block, Bytes(stop_));
        double const bound = top_.options.interrupt_grace_seconds + 10;
        if (!down_.wait_sends_for(std::chrono::duration<double>(bound)))
            down_.abandon_sends(), group_.keep_communicator = true;
        if (!up_.wait_sends_for(std::chrono::duration<double>(bound)))
            up_.abandon_sends(), top_.keep_communicator = true;
        if (in_flight_ != 0) group_.keep_communicator = true;  // answers given up on may still come
        CallOutcome const outcome = read_stop(parse_message(stop_));
        // Every rank of the farm sends its trace to the root after a call that ended well.
        if (top_.gathers_trace() && outcome.ended_well() && root_seen_)
            gather_call_trace(top_.whole_comm(), top_.whole_root(), recorder_, CallTrace{});
        throw_outcome(outcome);
    }

    void send(Transport& channel, int to, int tag, Header const& header) {
        Bytes buffer;
        MessageBuilder(buffer).finish(header, {});
        channel.send(to, tag, std::move(buffer));
    }

    static constexpr char kGone = 2;
    FarmCore& top_;
    FarmCore& group_;
    Job& job_;
    Transport up_;
    Transport down_;
    ChunkPolicy policy_;
    std::deque<Held> held_;
    std::vector<std::vector<std::uint64_t>> outstanding_;  // per group rank: the pieces out there (their first task)
    std::vector<char> joined_;
    int missing_;
    int in_flight_ = 0;
    Clock::time_point deadline_;
    Clock::time_point stop_deadline_{};
    bool root_seen_ = false, signalled_ = false, stopped_ = false, drained_ = false;
    Bytes stop_;
    Bytes batch_;  // entries for the next result_batch
    TraceRecorder recorder_;
    PayloadReceiver payloads_;
    BlockPool pool_;  // last: its threads use the members above
};

}  // namespace

void run_submaster(FarmCore& top, FarmCore& group, Job& job) {
    SubMaster loop(top, group, job);
    loop.run();
}

}  // namespace taskfarm::detail
