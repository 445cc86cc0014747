// A call's trace as Chrome trace-event JSON (the "traceEvents" object format), which Perfetto
// (ui.perfetto.dev) and chrome://tracing open: a process per rank, a track per thread with a
// slice per run of a chunk's tasks, and an "engine" track with the root's dispatches and every
// rank's waits. The counters behind taskfarm::Statistics ride along under the top-level key
// "taskfarm" (the format keeps unknown keys as metadata), so a trace file is enough to compute
// them again (chrome_trace_reader.hpp).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "trace/trace_event.hpp"

namespace taskfarm::detail {

/// The Chrome thread id of a rank's engine track (its main thread's dispatch and wait events),
/// kept apart from thread 0's task slices, which the main thread's polls interleave with.
inline constexpr int kEngineTrack = 100000;

/// Writes `call` (merged: every rank on the root's clock) as JSON.
void write_chrome_trace(std::ostream& out, CallTrace const& call);

/// Writes it to `path` (through a temporary file, renamed when complete). Throws taskfarm::Error.
void write_chrome_trace_file(std::string const& path, CallTrace const& call);

/// One file per farm call, named like the journal's: `path` for the first call (call 0), then
/// `path.1`, `path.2`, ...
[[nodiscard]] std::string trace_path_for_call(std::string const& path, std::uint32_t call);

}  // namespace taskfarm::detail
