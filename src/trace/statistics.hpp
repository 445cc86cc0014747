// taskfarm::Statistics from a merged call trace (the counters, not the events: they are complete
// even when events were not kept or some were dropped).
#pragma once

#include <taskfarm/statistics.hpp>

#include "trace/trace_event.hpp"

namespace taskfarm::detail {

[[nodiscard]] Statistics compute_statistics(CallTrace const& call);

}  // namespace taskfarm::detail
