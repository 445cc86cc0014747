// A rank's trace as bytes, for the one message a worker sends the root at the end of a call.
// Both ends run the same build, so values travel in their native layout (as on the wire).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "trace/trace_event.hpp"

namespace taskfarm::detail {

[[nodiscard]] std::vector<std::byte> encode_rank_trace(RankTrace const& trace);

/// Throws taskfarm::Error if `bytes` is not a whole trace written by encode_rank_trace.
[[nodiscard]] RankTrace decode_rank_trace(std::span<std::byte const> bytes);

}  // namespace taskfarm::detail
