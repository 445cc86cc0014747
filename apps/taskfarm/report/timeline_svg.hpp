/// @file
/// @brief `taskfarm report`'s picture: a farm call's trace as an SVG timeline that a browser
/// shows. Top: utilization over time (busy threads / computing threads). Below: a row per rank
/// and thread, busy (one shade per chunk) on an idle background, and per rank a thin engine row
/// with its waits and (root) dispatches. An axis in seconds, a legend, and a title with totals.
#pragma once

#include <string>

#include "trace/trace_event.hpp"

namespace taskfarm::cli {

struct TimelineOptions {
    int width = 1200;   ///< pixels, 600 to 10000
    std::string title;  ///< empty: "taskfarm <kind>, call <n>"
};

/// The SVG document. Slices narrower than a pixel are merged per row, so its size stays bounded
/// by width x rows whatever the trace holds.
[[nodiscard]] std::string timeline_svg(detail::CallTrace const& call, TimelineOptions const& options = {});

}  // namespace taskfarm::cli
