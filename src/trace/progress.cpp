#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <taskfarm/progress.hpp>

#include "trace/progress_output.hpp"

namespace taskfarm {

namespace {

std::string duration(double seconds) {
    auto const total = static_cast<long long>(std::llround(seconds));
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
    return buffer;
}

std::string rate(double per_second) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, per_second >= 100 ? "%.0f" : per_second >= 10 ? "%.1f" : "%.2f", per_second);
    return buffer;
}

}  // namespace

std::string format_progress(Progress const& p, int bar_width) {
    double const fraction = p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0;
    std::string out;
    if (bar_width > 0) {
        int const filled = static_cast<int>(std::floor(fraction * bar_width));
        out = "[" + std::string(static_cast<std::size_t>(filled), '#') +
              std::string(static_cast<std::size_t>(bar_width - filled), '-') + "] ";
    }
    char percent[16];
    std::snprintf(percent, sizeof percent, "%5.1f%%", fraction * 100);
    out += percent;
    out += "  " + std::to_string(p.done) + "/" + std::to_string(p.total) + " tasks";
    if (p.failed > 0) out += "  " + std::to_string(p.failed) + " failed";
    out += "  " + rate(p.tasks_per_second) + " tasks/s";
    if (p.finished) out += "  in " + duration(p.elapsed_seconds);
    else out += "  ETA " + (p.eta_seconds < 0 ? std::string("?") : duration(p.eta_seconds));
    return out;
}

namespace detail {

namespace {

void write_all(int fd, std::string const& text) {
    std::size_t at = 0;
    while (at < text.size()) {
        ssize_t const n = ::write(fd, text.data() + at, text.size() - at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // progress is best effort: a closed stderr must not stop the farm
        at += static_cast<std::size_t>(n);
    }
}

struct BarState {
    int fd;
    bool live;
    std::chrono::duration<double> interval;
    std::chrono::steady_clock::time_point last{};
    bool drawn = false;
};

}  // namespace

ProgressCallback fd_progress(int fd, bool live, double line_interval_seconds, double redraw_seconds) {
    auto state = std::make_shared<BarState>(
        BarState{fd, live, std::chrono::duration<double>(live ? redraw_seconds : line_interval_seconds)});
    return [state](Progress const& p) {
        auto const now = std::chrono::steady_clock::now();
        if (!p.finished && state->drawn && now - state->last < state->interval) return;
        state->last = now;
        state->drawn = true;
        if (state->live) write_all(state->fd, "\r\033[K" + format_progress(p) + (p.finished ? "\n" : ""));
        else write_all(state->fd, "taskfarm: " + format_progress(p, 0) + "\n");
    };
}

}  // namespace detail

ProgressCallback stderr_progress(double line_interval_seconds) {
    return detail::fd_progress(STDERR_FILENO, ::isatty(STDERR_FILENO) == 1, line_interval_seconds);
}

}  // namespace taskfarm
