// taskfarm::Statistics from a merged call trace (the counters, not the events: they are complete
// even when events were not kept or some were dropped).
#pragma once

#include <cstdint>
#include <string>

#include <taskfarm/statistics.hpp>

#include "trace/trace_event.hpp"

namespace taskfarm::detail {

[[nodiscard]] Statistics compute_statistics(CallTrace const& call);

/// "512 B", "2.93 KiB", "17.5 MiB", "123 GiB": the byte counts of the statistics table and the
/// timeline say it the same way.
[[nodiscard]] std::string human_bytes(std::uint64_t bytes);

}  // namespace taskfarm::detail
