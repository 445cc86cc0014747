#include "engine/call_sinks.hpp"

#include <string>

#include "engine/crash_report.hpp"
#include "trace/chrome_trace.hpp"
#include "trace/statistics.hpp"
#include "trace/trace_gather.hpp"

namespace taskfarm::detail {

void JournalSink::resume(RootScheduler& schedule) {
    session_ = JournalSession(core_.options, core_.section, job_);
    auto& replay = session_.replay();
    for (auto const& block : replay.blocks) {
        auto const skip = schedule.skipped(block.first, block.count, block.failures);
        job_.accept_results(block.first, block.count, block.payload, skip);
        schedule.mark_done(block.first, block.count, skip);
    }
    // Everything not pending is done: carve it out of what is handed out.
    std::uint64_t next = 0;
    for (auto const& range : replay.pending()) {
        if (range.first > next) schedule.remove(next, range.first - next);
        next = range.first + range.count;
    }
    if (job_.size() > next) schedule.remove(next, job_.size() - next);
    session_.drop_replay();
    set_culprits_aside(schedule);
}

void JournalSink::set_culprits_aside(RootScheduler& schedule) {
    std::string const file = crash_file_of(core_.options.journal);
    std::string how;
    for (std::uint64_t task : likely_culprits(file, core_.run_id, core_.section, how)) {
        if (task >= job_.size() || schedule.remove(task, 1) == 0) continue;  // done since
        schedule.fail_for_good(
            TaskFailure{task, -1,
                        "task " + std::to_string(task) + " was running when a rank died (" + how +
                            ") in each of the last two runs, so it is not run again: it is the likely culprit. Fix it, "
                            "then delete '" +
                            file + "' to run it again"});
    }
}

void JournalSink::handed_out(TaskRange range, ByteView inputs) {
    if (session_.active()) input_hashes_[range.first] = JournalSession::input_hash(inputs);
}

void JournalSink::accepted(TaskRange range, ByteView results, std::vector<TaskFailure> const& failures,
                           RootScheduler const& /*calls*/) {
    if (!session_.active()) return;
    std::uint64_t hash = 0;  // the hash of the block's inputs, recorded when it was handed out
    if (auto const it = input_hashes_.find(range.first); it != input_hashes_.end()) {
        hash = it->second;
        input_hashes_.erase(it);
    }
    session_.append(range.first, range.count, results, hash, failures);
}

void ProgressSink::accepted(TaskRange /*range*/, ByteView /*results*/, std::vector<TaskFailure> const& /*failures*/,
                            RootScheduler const& calls) {
    std::uint64_t const done = calls.done();
    std::size_t const failed = calls.failed();
    if (done == done_ && failed == failed_) return;
    meter_.add(done - done_, failed - failed_);
    done_ = done;
    failed_ = failed;
}

void TraceSink::closed(CallOutcome const& outcome) {
    core_.statistics = Statistics{};
    if (!core_.gathers_trace() || !outcome.ended_well()) return;
    CallTrace header;
    header.call = core_.calls - 1;
    header.kind = job_.call_kind();
    header.root = core_.whole_root();
    header.tasks = job_.size();
    header.wall_seconds = recorder_.now();
    auto const call = gather_call_trace(core_.whole_comm(), core_.whole_root(), recorder_, std::move(header));
    if (!call) return;
    core_.statistics = compute_statistics(*call);
    if (!core_.options.trace.empty())
        write_chrome_trace_file(trace_path_for_call(core_.options.trace, core_.calls - 1), *call);
}

}  // namespace taskfarm::detail
