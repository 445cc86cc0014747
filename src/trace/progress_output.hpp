// The progress bar behind taskfarm::stderr_progress, on any file descriptor (for the tests).
#pragma once

#include <taskfarm/progress.hpp>

namespace taskfarm::detail {

/// `live`: redraw one line in place (a terminal), at most every `redraw_seconds`; else a line
/// every `line_interval_seconds`. Both: a last line, ended, when `finished`.
[[nodiscard]] ProgressCallback fd_progress(int fd, bool live, double line_interval_seconds,
                                           double redraw_seconds = 0.1);

}  // namespace taskfarm::detail
