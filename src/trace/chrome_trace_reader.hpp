// Reads back a Chrome trace-event JSON file as a CallTrace, for `taskfarm report` and the tests.
// A trace written by taskfarm brings its counters along; for another producer's trace (only
// "X" slices of categories block/dispatch/wait count) they are derived from the slices.
#pragma once

#include <iosfwd>
#include <string>

#include "trace/trace_event.hpp"

namespace taskfarm::detail {

/// Throws taskfarm::Error (saying where) if the input is not JSON or not a trace.
[[nodiscard]] CallTrace read_chrome_trace(std::istream& in);
[[nodiscard]] CallTrace read_chrome_trace_file(std::string const& path);

}  // namespace taskfarm::detail
