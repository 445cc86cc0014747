#include "engine/root_work.hpp"

#include <algorithm>

namespace taskfarm::detail {

RootWork::RootWork(FarmCore& core, Job& job, RootScheduler& schedule, TraceRecorder& recorder)
    : core_(core),
      job_(job),
      schedule_(schedule),
      recorder_(recorder),
      journal_(core, job),
      trace_(core, job, recorder) {}

void RootWork::resume() {
    if (!core_.options.journal.empty()) schedule_.guarded([&] { journal_.resume(schedule_); });
    // Progress counts what this run does: tasks replayed from the journal are not in it.
    sinks_.push_back(&journal_);
    if (core_.options.progress) sinks_.push_back(&progress_.emplace(core_.options.progress, schedule_));
    sinks_.push_back(&trace_);
}

std::optional<TaskRange> RootWork::block_for(int worker, Bytes& buffer) {
    auto const range = schedule_.next_for(worker);
    if (!range) return std::nullopt;
    MessageBuilder message(buffer);
    if (!schedule_.guarded([&] { job_.encode_inputs(range->first, range->count, message.payload()); }))
        return std::nullopt;
    for (auto* sink : sinks_) sink->handed_out(*range, ByteView(message.payload()).subspan(sizeof(Header)));
    Header header{MessageKind::block, core_.calls, range->first, range->count};
    header.job_type = job_.type_id();
    message.finish(header, {});
    return range;
}

std::optional<QueuedBlock> RootWork::local_block() {
    auto const range = schedule_.next_local();
    if (!range) return std::nullopt;
    QueuedBlock block{range->first, range->count, {}};
    if (!schedule_.guarded([&] { job_.encode_inputs(range->first, range->count, block.inputs); })) return std::nullopt;
    for (auto* sink : sinks_) sink->handed_out(*range, block.inputs);
    return block;
}

// In place only when every task of the block is new and succeeded: no byte of it may be skipped.
std::byte* RootWork::destination(MessageView const& head) const {
    Header const& h = head.header;
    bool const whole = h.call == core_.calls && !schedule_.failed_call() && head.failures.empty() &&
                       schedule_.skipped(h.first, h.count, {}).empty();
    return whole ? job_.result_destination(h.first, h.count, h.payload_bytes) : nullptr;
}

void RootWork::accept(MessageView const& result) {
    schedule_.ran(result.header.count, result.header.seconds);
    // A sub-master's smaller block: the journal keeps its own inputs' hash, as for any block.
    if (core_.leads_groups && journaled())
        schedule_.guarded([&] {
            Bytes inputs;
            job_.encode_inputs(result.header.first, result.header.count, inputs);
            journal_.handed_out({result.header.first, result.header.count}, inputs);
        });
    accept({result.header.first, result.header.count}, result.payload, result.failures);
}

void RootWork::collect_local(FinishedBlock& done) {
    for (auto& f : done.failures) f.rank = core_.farm_rank();
    if (done.failed_whole) {
        schedule_.fail(
            result_error(-1, Header{MessageKind::result, core_.calls, done.first, done.count}, done.failures));
        return;
    }
    recorder_.block(done.thread, done.start, done.end, done.first, done.count);
    schedule_.ran(done.count, done.seconds());
    std::sort(done.failures.begin(), done.failures.end(),
              [](TaskFailure const& a, TaskFailure const& b) { return a.index < b.index; });
    accept({done.first, done.count}, done.results, done.failures);
}

void RootWork::accept(TaskRange range, ByteView results, std::vector<TaskFailure> const& failures) {
    if (schedule_.failed_call()) return;
    schedule_.guarded([&] {
        auto const skip = schedule_.skipped(range.first, range.count, failures);
        job_.accept_results(range.first, range.count, results, skip);
        schedule_.accepted(range.first, range.count, skip, failures);
        for (auto* sink : sinks_) sink->accepted(range, results, failures, schedule_);
    });
}

void RootWork::idle() {
    for (auto* sink : sinks_) schedule_.guarded([&] { sink->idle(); });
}

// The journal is complete before anyone hears the outcome: a program that exits right after the
// call finds it sealed. A sink that fails here fails the call.
void RootWork::closing() {
    for (auto* sink : sinks_) schedule_.guarded([&] { sink->closing(schedule_.outcome(journaled())); });
}

void RootWork::closed(CallOutcome const& outcome) {
    for (auto* sink : sinks_) schedule_.guarded([&] { sink->closed(outcome); });
}

}  // namespace taskfarm::detail
