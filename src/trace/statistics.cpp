#include "trace/statistics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

namespace taskfarm {

double RankStatistics::utilization(double wall_seconds) const {
    double const capacity = threads * wall_seconds;
    return computes && capacity > 0 ? busy_seconds / capacity : 0;
}

namespace {

std::string format(char const* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::string percent(double fraction) { return format("%.1f%%", fraction * 100); }

// Right-aligns `text` in `width` columns.
std::string cell(std::string const& text, std::size_t width) {
    return text.size() >= width ? " " + text : std::string(width - text.size(), ' ') + text;
}

}  // namespace

namespace detail {
std::string human_bytes(std::uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " B";
    char const* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes) / 1024;
    int unit = 0;
    while (value >= 1024 && unit < 3) {
        value /= 1024;
        ++unit;
    }
    return format(value < 10 ? "%.2f " : value < 100 ? "%.1f " : "%.0f ", value) + units[unit];
}
}  // namespace detail

using detail::human_bytes;

std::string Statistics::to_string() const {
    std::string out = cell("rank", 5) + cell("threads", 8) + cell("tasks", 10) + cell("chunks", 8) +
                      cell("busy s", 10) + cell("idle s", 10) + cell("wait s", 10) + cell("util", 8) +
                      cell("sent", 11) + cell("received", 11) + "\n";
    int threads = 0;
    for (auto const& r : ranks) {
        threads += r.threads;
        out += cell(std::to_string(r.rank), 5) + cell(std::to_string(r.threads), 8) +
               cell(std::to_string(r.tasks), 10) + cell(std::to_string(r.chunks), 8) +
               cell(format("%.3f", r.busy_seconds), 10) + cell(r.computes ? format("%.3f", r.idle_seconds) : "-", 10) +
               cell(format("%.3f", r.wait_seconds), 10) +
               cell(r.computes ? percent(r.utilization(wall_seconds)) : "-", 8) + cell(human_bytes(r.bytes_sent), 11) +
               cell(human_bytes(r.bytes_received), 11) + "\n";
    }
    out += format("wall %.3f s", wall_seconds) + ", " + std::to_string(tasks) + " tasks on " +
           std::to_string(ranks.size()) + (ranks.size() == 1 ? " rank" : " ranks") + " (" + std::to_string(threads) +
           (threads == 1 ? " thread" : " threads") + "): utilization " + percent(utilization) + ", load imbalance " +
           percent(load_imbalance) + " (busiest rank's busy time per thread / mean - 1)\n";
    if (dropped_events > 0) out += "the trace lost " + std::to_string(dropped_events) + " events to its size cap\n";
    return out;
}

std::ostream& operator<<(std::ostream& out, Statistics const& statistics) { return out << statistics.to_string(); }

namespace detail {

Statistics compute_statistics(CallTrace const& call) {
    Statistics s;
    s.wall_seconds = call.wall_seconds;
    if (s.wall_seconds <= 0)
        for (auto const& r : call.ranks) s.wall_seconds = std::max(s.wall_seconds, r.seconds);

    double busy_total = 0;
    double busy_per_thread_max = 0;
    double busy_per_thread_sum = 0;
    int computing_ranks = 0;
    int computing_threads = 0;
    for (auto const& r : call.ranks) {
        RankStatistics rs;
        rs.rank = r.rank;
        rs.threads = r.threads;
        rs.computes = r.computes;
        rs.tasks = r.tasks();
        rs.chunks = r.chunks;
        rs.busy_seconds = r.busy_seconds();
        rs.idle_seconds = r.computes ? std::max(0.0, r.threads * s.wall_seconds - rs.busy_seconds) : 0;
        rs.wait_seconds = r.wait_seconds;
        rs.bytes_sent = r.bytes_sent;
        rs.bytes_received = r.bytes_received;
        rs.messages_sent = r.messages_sent;
        rs.messages_received = r.messages_received;
        s.tasks += rs.tasks;
        s.dropped_events += r.dropped_events;
        if (r.computes) {
            double const per_thread = rs.busy_seconds / std::max(r.threads, 1);
            busy_per_thread_max = std::max(busy_per_thread_max, per_thread);
            busy_per_thread_sum += per_thread;
            busy_total += rs.busy_seconds;
            ++computing_ranks;
            computing_threads += r.threads;
        }
        s.ranks.push_back(rs);
    }
    double const mean = computing_ranks > 0 ? busy_per_thread_sum / computing_ranks : 0;
    s.load_imbalance = mean > 0 ? busy_per_thread_max / mean - 1 : 0;
    double const capacity = computing_threads * s.wall_seconds;
    s.utilization = capacity > 0 ? busy_total / capacity : 0;
    return s;
}

}  // namespace detail

}  // namespace taskfarm
