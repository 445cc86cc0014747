// The end of a traced call: every rank's trace goes to the root, on the root's clock. One
// collective over the farm's communicator, which each rank makes after its loop and before it
// reports how the call ended (so an error still leaves a trace).
#pragma once

#include <mpi.h>

#include <optional>

#include "trace/trace_event.hpp"
#include "trace/trace_recorder.hpp"

namespace taskfarm::detail {

/// Collective on `comm`. Finishes `recorder` and gathers every rank's trace on `root`, measuring
/// each rank's clock offset at a barrier here (the ranks leave it within a message latency of
/// each other, so the offsets are good to tens of microseconds). Root: the merged call, with
/// `header`'s call, kind, root and tasks (and its wall_seconds, or the root's time in the call
/// when that is 0). Other ranks: nullopt. Throws taskfarm::Error on a malformed trace message.
std::optional<CallTrace> gather_call_trace(MPI_Comm comm, int root, TraceRecorder& recorder, CallTrace header);

}  // namespace taskfarm::detail
