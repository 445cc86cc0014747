// What the root does with the job's bytes in one call: encodes the blocks it hands out (to a
// worker, or to its own threads), accepts the results that come back, and tells the sinks
// (journal, progress, trace) about both. Whatever throws here fails the call (RootScheduler::fail).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <taskfarm/detail/job.hpp>

#include "engine/block_pool.hpp"
#include "engine/call_sinks.hpp"
#include "engine/farm_core.hpp"
#include "engine/root_scheduler.hpp"
#include "trace/trace_recorder.hpp"

namespace taskfarm::detail {

class RootWork {
public:
    RootWork(FarmCore& core, Job& job, RootScheduler& schedule, TraceRecorder& recorder);

    /// Replays the journal (if any) into the job and the schedule, then sets up the sinks.
    void resume();
    [[nodiscard]] bool journaled() const noexcept { return journal_.active(); }

    /// The next block for `worker`, built as a Block message in `buffer`; nullopt if none.
    std::optional<TaskRange> block_for(int worker, Bytes& buffer);
    /// The next block for the root's own threads; nullopt if none.
    std::optional<QueuedBlock> local_block();

    /// Where a large result's payload may be received in place (see PayloadReceiver), or null.
    std::byte* destination(MessageView const& head) const;
    /// A block's results (status ok) from a rank, or from the root's own threads.
    void accept(MessageView const& result);
    void collect_local(FinishedBlock& done);

    void idle();
    /// The call is over; then, once the workers heard it, closed (trace gather: every rank takes part).
    void closing();
    void closed(CallOutcome const& outcome);

private:
    void accept(TaskRange range, ByteView results, std::vector<TaskFailure> const& failures);

    FarmCore& core_;
    Job& job_;
    RootScheduler& schedule_;
    TraceRecorder& recorder_;
    JournalSink journal_;
    std::optional<ProgressSink> progress_;
    TraceSink trace_;
    std::vector<CallSink*> sinks_;
};

}  // namespace taskfarm::detail
