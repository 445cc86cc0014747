// What the root loop tells about a call as it goes, to those that keep a record of it: the
// journal (every block handed out and accepted), the progress callback, and the trace gather at
// the end. The loop only notifies; none of them decides anything about the schedule.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include <taskfarm/detail/job.hpp>

#include "engine/call_outcome.hpp"
#include "engine/farm_core.hpp"
#include "engine/journal_session.hpp"
#include "engine/root_scheduler.hpp"
#include "engine/task_ranges.hpp"
#include "trace/progress_meter.hpp"
#include "trace/trace_recorder.hpp"

namespace taskfarm::detail {

class CallSink {
public:
    virtual ~CallSink() = default;
    /// The block `range` with these encoded inputs is on its way to a rank (the root's own too).
    virtual void handed_out(TaskRange /*range*/, ByteView /*inputs*/) {}
    /// A block's results were accepted (`failures`: its tasks that threw); `calls`: the counts now.
    virtual void accepted(TaskRange /*range*/, ByteView /*results*/, std::vector<TaskFailure> const& /*failures*/,
                          RootScheduler const& /*calls*/) {}
    /// The loop has nothing to do for a moment.
    virtual void idle() {}
    /// The call is over; the workers have not heard yet (what must be durable first is).
    virtual void closing(CallOutcome const& /*outcome*/) {}
    /// The workers have heard the outcome.
    virtual void closed(CallOutcome const& /*outcome*/) {}
};

/// The call's journal section: replays it into the job and the schedule before the call, records
/// each block's inputs' hash when it is handed out and the block when it is accepted.
class JournalSink final : public CallSink {
public:
    JournalSink(FarmCore const& core, Job& job) : core_(core), job_(job) {}
    /// Opens the section (may wait for its lock) and feeds what it holds to the job; only what is
    /// pending stays to be handed out. A task that was running at each of the last two crashes of
    /// this call fails for good instead of running a third time.
    void resume(RootScheduler& schedule);
    [[nodiscard]] bool active() const noexcept { return session_.active(); }

    void handed_out(TaskRange range, ByteView inputs) override;
    void accepted(TaskRange range, ByteView results, std::vector<TaskFailure> const& failures,
                  RootScheduler const& calls) override;
    void idle() override { session_.sync_if_due(); }
    void closing(CallOutcome const& outcome) override { session_.close(!outcome.ended_well()); }

private:
    void set_culprits_aside(RootScheduler& schedule);

    FarmCore const& core_;
    Job& job_;
    JournalSession session_;
    std::map<std::uint64_t, std::uint64_t> input_hashes_;  // first task of a block in flight -> its inputs' hash
};

/// Options::progress: the tasks this run does (not those replayed from the journal).
class ProgressSink final : public CallSink {
public:
    ProgressSink(ProgressCallback const& callback, RootScheduler const& calls)
        : meter_(callback, calls.to_hand_out()), done_(calls.done()), failed_(calls.failed()) {}
    void accepted(TaskRange range, ByteView results, std::vector<TaskFailure> const& failures,
                  RootScheduler const& calls) override;
    void closed(CallOutcome const& /*outcome*/) override { meter_.finish(); }

private:
    ProgressMeter meter_;
    std::uint64_t done_;  // what the meter has been told
    std::size_t failed_;
};

/// Statistics and the trace file: every rank's trace to the root. A collective, so only after a
/// call that ended well (all done, or tasks failed): after an interrupt or an error a rank may be
/// gone. Every rank knows which from the Stop.
class TraceSink final : public CallSink {
public:
    TraceSink(FarmCore& core, Job const& job, TraceRecorder& recorder) : core_(core), job_(job), recorder_(recorder) {}
    void closed(CallOutcome const& outcome) override;

private:
    FarmCore& core_;
    Job const& job_;
    TraceRecorder& recorder_;
};

}  // namespace taskfarm::detail
