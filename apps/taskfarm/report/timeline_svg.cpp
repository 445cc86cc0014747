#include "timeline_svg.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include "trace/statistics.hpp"

namespace taskfarm::cli {

namespace {

using detail::CallTrace;
using detail::human_bytes;
using detail::RankTrace;
using detail::TraceEvent;
using detail::TraceKind;

// Colours: busy in two teal shades (alternate chunks stay apart), idle a pale rose that stands
// out from the white page, the engine's waits amber and dispatches violet.
constexpr char const* kBusy[2] = {"#2a9d8f", "#57bfb1"};
constexpr char const* kBusyMerged = "#2a9d8f";
constexpr char const* kIdle = "#f6dfd9";
constexpr char const* kNotComputing = "#ececec";
constexpr char const* kWait = "#e9a23b";
constexpr char const* kDispatch = "#6a4cff";
constexpr char const* kUtilization = "#2f6fb3";
constexpr char const* kGrid = "#c8c8c8";
constexpr char const* kText = "#222222";
constexpr char const* kMuted = "#666666";

constexpr double kLeft = 150;  // room for row labels
constexpr double kRight = 24;
constexpr double kTop = 70;  // below the title lines
constexpr double kUtilHeight = 90;
constexpr double kRankGap = 6;

std::string num(double value) {
    if (!std::isfinite(value)) value = 0;
    char buffer[32];
    auto const end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 2).ptr;
    std::string text(buffer, end);
    // "12.50" -> "12.5", "4000.00" -> "4000": smaller files, integer sizes where they are.
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    if (text == "-0") text = "0";
    return text;
}

std::string escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string printf_string(char const* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::string duration_text(double seconds) {
    if (seconds < 1e-3) return printf_string("%.0f µs", seconds * 1e6);
    if (seconds < 1) return printf_string("%.2f ms", seconds * 1e3);
    return printf_string("%.3f s", seconds);
}

std::string task_span(TraceEvent const& e) {
    if (e.count == 1) return "task " + std::to_string(e.first);
    return "tasks " + std::to_string(e.first) + "-" + std::to_string(e.first + e.count - 1);
}

// Seconds to pixels.
struct Scale {
    double t0;
    double t1;
    double x0;
    double x1;
    [[nodiscard]] double x(double t) const { return x0 + (t - t0) / (t1 - t0) * (x1 - x0); }
};

// The SVG being written, with the few shapes the timeline needs.
class Svg {
public:
    void rect(double x, double y, double w, double h, char const* fill, std::string const& title = {}) {
        out_ += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
                "\" fill=\"" + fill + "\"";
        out_ += title.empty() ? "/>\n" : "><title>" + escape(title) + "</title></rect>\n";
    }
    void line(double x1, double y1, double x2, double y2, char const* stroke, double width = 1,
              char const* dash = nullptr, double opacity = 1) {
        out_ += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
                "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"";
        if (dash) out_ += std::string(" stroke-dasharray=\"") + dash + "\"";
        if (opacity < 1) out_ += " stroke-opacity=\"" + num(opacity) + "\"";
        out_ += "/>\n";
    }
    void text(double x, double y, std::string const& content, double size, char const* fill,
              char const* anchor = "start", bool bold = false, std::string const& title = {}) {
        out_ += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) + "\" fill=\"" + fill +
                "\" text-anchor=\"" + anchor + "\"" + (bold ? " font-weight=\"600\"" : "") + ">" + escape(content);
        if (!title.empty()) out_ += "<title>" + escape(title) + "</title>";
        out_ += "</text>\n";
    }
    void raw(std::string const& text) { out_ += text; }
    [[nodiscard]] std::string const& str() const { return out_; }

private:
    std::string out_;
};

// What one rectangle of a row shows: a slice at least 2 px wide (with its own tooltip and shade),
// or a run of narrower slices less than half a pixel apart, merged so that the file stays
// bounded by the picture's width whatever the trace holds.
struct Span {
    double x0;
    double x1;
    TraceEvent const* only;  // the slice, when the span is one slice (it gets a tooltip)
    std::size_t index;       // of its first slice in the row (for the alternating shade)
    bool narrow;             // started by a narrow slice: more narrow ones may join
};

std::vector<Span> pixel_spans(std::vector<TraceEvent const*> const& slices, Scale const& scale) {
    std::vector<Span> spans;
    for (std::size_t i = 0; i < slices.size(); ++i) {
        double const x0 = scale.x(slices[i]->start);
        double const x1 = scale.x(slices[i]->end);
        bool const narrow = x1 - x0 < 2;
        if (narrow && !spans.empty() && spans.back().narrow && x0 - spans.back().x1 < 0.5) {
            spans.back().x1 = std::max(spans.back().x1, x1);
            spans.back().only = nullptr;
            continue;
        }
        spans.push_back({x0, std::max(x1, x0 + 0.6), slices[i], i, narrow});  // never invisible
    }
    return spans;
}

// Ticks at 1, 2 or 5 times a power of ten, five to ten across.
double tick_step(double span) {
    double const raw = span / 10;
    double const magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw) return m * magnitude;
    return 10 * magnitude;
}

std::string tick_label(double t, double step, bool millis) {
    double const value = millis ? t * 1e3 : t;
    double const unit_step = millis ? step * 1e3 : step;
    int const decimals = unit_step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(unit_step) - 1e-9));
    char pattern[16];
    std::snprintf(pattern, sizeof pattern, "%%.%df %s", decimals, millis ? "ms" : "s");
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, pattern, std::abs(value) < 1e-12 ? 0.0 : value);
    return buffer;
}

// Busy threads / computing threads per bin: the picture's top curve.
std::vector<double> utilization(CallTrace const& call, Scale const& scale, std::size_t bins) {
    std::vector<double> busy(bins, 0.0);
    double const width = (scale.t1 - scale.t0) / static_cast<double>(bins);
    int capacity = 0;
    for (auto const& r : call.ranks) {
        if (!r.computes) continue;
        capacity += r.threads;
        for (auto const& e : r.events) {
            if (e.kind != TraceKind::block) continue;
            auto const first = static_cast<std::size_t>(std::clamp((e.start - scale.t0) / width, 0.0, bins - 1.0));
            auto const last = static_cast<std::size_t>(std::clamp((e.end - scale.t0) / width, 0.0, bins - 1.0));
            for (std::size_t b = first; b <= last; ++b) {
                double const lo = std::max(e.start, scale.t0 + static_cast<double>(b) * width);
                double const hi = std::min(e.end, scale.t0 + static_cast<double>(b + 1) * width);
                if (hi > lo) busy[b] += hi - lo;
            }
        }
    }
    for (auto& value : busy) value = capacity > 0 ? std::min(1.0, value / (width * capacity)) : 0;
    return busy;
}

struct Layout {
    double width;
    double row_height;
    double engine_height;
    double rows_top;
    double rows_bottom;
    Scale scale;
};

// A rank's rows: a thread row each, and the engine row when it has waits or dispatches.
double draw_rank(Svg& svg, RankTrace const& rank, bool is_root, Layout const& layout, double y,
                 taskfarm::Statistics const& stats, std::size_t rank_index) {
    Scale const& scale = layout.scale;
    double const plot_width = scale.x1 - scale.x0;
    std::vector<std::vector<TraceEvent const*>> rows(static_cast<std::size_t>(rank.threads));
    std::vector<TraceEvent const*> engine;
    for (auto const& e : rank.events) {
        if (e.kind == TraceKind::block)
            rows[static_cast<std::size_t>(std::clamp(e.thread, 0, rank.threads - 1))].push_back(&e);
        else engine.push_back(&e);
    }
    auto const& rs = stats.ranks[rank_index];
    std::string const summary = "rank " + std::to_string(rank.rank) + (is_root ? " (root)" : "") + ": " +
                                std::to_string(rs.tasks) + " tasks in " + std::to_string(rs.chunks) + " chunks, " +
                                std::to_string(rank.threads) + (rank.threads == 1 ? " thread" : " threads") +
                                ", busy " + printf_string("%.1f%%", rs.utilization(stats.wall_seconds) * 100) +
                                ", waited " + duration_text(rs.wait_seconds) + ", sent " + human_bytes(rs.bytes_sent) +
                                ", received " + human_bytes(rs.bytes_received);
    double const block_height = rank.threads * layout.row_height + (engine.empty() ? 0 : layout.engine_height + 1);
    svg.text(8, y + std::min(block_height, layout.row_height) / 2 + 4.5, "rank " + std::to_string(rank.rank), 12, kText,
             "start", true, summary);
    if (is_root)
        svg.text(8, y + std::min(block_height, layout.row_height) / 2 + 17,
                 rank.computes ? "root" : "root, dispatch only", 10, kMuted);

    double const bar = std::max(1.0, layout.row_height - 2);  // a pixel apart, so threads stay distinct
    for (int t = 0; t < rank.threads; ++t) {
        double const top = y + t * layout.row_height;
        if (layout.row_height >= 10)
            svg.text(kLeft - 6, top + layout.row_height / 2 + 4, "t" + std::to_string(t), 10, kMuted, "end");
        svg.rect(scale.x0, top, plot_width, bar, rank.computes ? kIdle : kNotComputing);
        for (auto const& span : pixel_spans(rows[static_cast<std::size_t>(t)], scale)) {
            std::string title;
            if (span.only)
                title = task_span(*span.only) + " on rank " + std::to_string(rank.rank) + " thread " +
                        std::to_string(t) + ": " + duration_text(span.only->end - span.only->start);
            svg.rect(span.x0, top, span.x1 - span.x0, bar, span.only ? kBusy[span.index % 2] : kBusyMerged, title);
        }
    }
    y += rank.threads * layout.row_height;
    if (!engine.empty()) {
        double const top = y + 1;
        if (layout.row_height >= 10) svg.text(kLeft - 6, top + layout.engine_height - 1, "engine", 9, kMuted, "end");
        std::vector<TraceEvent const*> waits;
        std::vector<TraceEvent const*> dispatches;
        for (auto const* e : engine) (e->kind == TraceKind::wait ? waits : dispatches).push_back(e);
        for (auto const& span : pixel_spans(waits, scale))
            svg.rect(span.x0, top, span.x1 - span.x0, layout.engine_height, kWait,
                     span.only ? "waiting: " + duration_text(span.only->end - span.only->start) : "waiting");
        for (auto const& span : pixel_spans(dispatches, scale)) {
            std::string title = "dispatch";
            if (span.only) title = task_span(*span.only) + " to rank " + std::to_string(span.only->peer);
            svg.rect(span.x0, top, std::max(1.0, span.x1 - span.x0), layout.engine_height, kDispatch, title);
        }
        y += layout.engine_height + 1;
    }
    return y;
}

void draw_utilization(Svg& svg, CallTrace const& call, Layout const& layout, double mean) {
    Scale const& scale = layout.scale;
    double const top = kTop;
    double const bottom = kTop + kUtilHeight;
    auto y = [&](double u) { return bottom - u * kUtilHeight; };
    svg.text(8, top + 12, "utilization", 12, kText, "start", true);
    svg.text(8, top + 27, "busy threads /", 10, kMuted);
    svg.text(8, top + 39, "computing threads", 10, kMuted);
    svg.rect(scale.x0, top, scale.x1 - scale.x0, kUtilHeight, "#f7f9fc");
    for (double u : {0.0, 0.5, 1.0}) {
        svg.line(scale.x0, y(u), scale.x1, y(u), kGrid, 1, u == 0.0 ? nullptr : "3,3");
        svg.text(kLeft - 6, y(u) + 4, printf_string("%.0f%%", u * 100), 10, kMuted, "end");
    }
    auto const bins = static_cast<std::size_t>(std::max(1.0, (scale.x1 - scale.x0) / 3));
    auto const values = utilization(call, scale, bins);
    double const bin_width = (scale.x1 - scale.x0) / static_cast<double>(bins);
    std::string path = "M" + num(scale.x0) + "," + num(bottom);
    for (std::size_t b = 0; b < bins; ++b) {
        double const x = scale.x0 + static_cast<double>(b) * bin_width;
        path += " L" + num(x) + "," + num(y(values[b])) + " L" + num(x + bin_width) + "," + num(y(values[b]));
    }
    path += " L" + num(scale.x1) + "," + num(bottom) + " Z";
    svg.raw("<path d=\"" + path + "\" fill=\"" + kUtilization + "\" fill-opacity=\"0.35\" stroke=\"" + kUtilization +
            "\" stroke-width=\"1.2\" stroke-linejoin=\"round\"/>\n");
    svg.line(scale.x0, y(mean), scale.x1, y(mean), kUtilization, 1, "6,4");
    svg.text(scale.x1 - 4, y(mean) - 4, "mean " + printf_string("%.1f%%", mean * 100), 10, kUtilization, "end");
}

void draw_axis(Svg& svg, Layout const& layout, double axis_y) {
    Scale const& scale = layout.scale;
    double const span = scale.t1 - scale.t0;
    double const step = tick_step(span);
    bool const millis = span < 2;
    svg.line(scale.x0, axis_y, scale.x1, axis_y, kText);
    for (double t = std::ceil(scale.t0 / step - 1e-9) * step; t <= scale.t1 + 1e-12; t += step) {
        double const x = scale.x(t);
        // Over the rows, faint enough to read the slices through.
        svg.line(x, kTop, x, axis_y, "#000000", 0.6, nullptr, 0.12);
        svg.line(x, axis_y, x, axis_y + 5, kText);
        svg.text(x, axis_y + 18, tick_label(t, step, millis), 11, kText, "middle");
    }
    svg.text(scale.x1, axis_y + 34, "time since the call began (root's clock)", 10, kMuted, "end");
}

void draw_legend(Svg& svg, double y, bool all_compute) {
    struct Item {
        char const* colour;
        char const* label;
    };
    Item const items[] = {{kBusy[0], "busy: running a chunk (shades alternate per chunk)"},
                          {kIdle, "idle"},
                          {kWait, "waiting for work"},
                          {kDispatch, "root handing out a chunk"},
                          {kNotComputing, "does not compute"}};
    double x = kLeft;
    for (auto const& item : items) {
        if (all_compute && item.colour == kNotComputing) continue;
        svg.raw("<rect x=\"" + num(x) + "\" y=\"" + num(y - 10) + "\" width=\"12\" height=\"12\" fill=\"" +
                item.colour + "\" stroke=\"#999999\" stroke-width=\"0.5\"/>\n");
        svg.text(x + 17, y, item.label, 11, kText);
        x += 17 + 6.2 * static_cast<double>(std::string_view(item.label).size()) + 22;
    }
}

}  // namespace

std::string timeline_svg(CallTrace const& call, TimelineOptions const& options) {
    taskfarm::Statistics const stats = detail::compute_statistics(call);
    Layout layout{};
    layout.width = std::clamp(options.width, 600, 10000);
    double t0 = 0;
    double t1 = stats.wall_seconds;
    for (auto const& r : call.ranks)
        for (auto const& e : r.events) {
            t0 = std::min(t0, e.start);
            t1 = std::max(t1, e.end);
        }
    if (t1 - t0 < 1e-6) t1 = t0 + 1e-3;
    layout.scale = Scale{t0, t1, kLeft, layout.width - kRight};

    int thread_rows = 0;
    int engine_rows = 0;
    for (auto const& r : call.ranks) {
        thread_rows += r.threads;
        for (auto const& e : r.events)
            if (e.kind != TraceKind::block) {
                ++engine_rows;
                break;
            }
    }
    // Rows shrink as they multiply, so a big run still fits a screen or two.
    layout.row_height = std::clamp(std::floor(520.0 / std::max(thread_rows, 1)), 4.0, 20.0);
    layout.engine_height = std::max(3.0, std::floor(layout.row_height * 0.45));
    layout.rows_top = kTop + kUtilHeight + 16;
    double const rows_height = thread_rows * layout.row_height + engine_rows * (layout.engine_height + 1) +
                               kRankGap * std::max<double>(0, static_cast<double>(call.ranks.size()) - 1);
    layout.rows_bottom = layout.rows_top + rows_height;
    double const axis_y = layout.rows_bottom + 8;
    double const legend_y = axis_y + 58;
    double const height = legend_y + 16 + (stats.dropped_events > 0 ? 18 : 0);

    Svg svg;
    svg.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(layout.width) + "\" height=\"" + num(height) +
            "\" viewBox=\"0 0 " + num(layout.width) + " " + num(height) +
            "\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif\">\n");
    svg.rect(0, 0, layout.width, height, "#ffffff");

    std::string const title = !options.title.empty()
                                  ? options.title
                                  : "taskfarm " + (call.kind.empty() ? std::string("trace") : call.kind) + ", call " +
                                        std::to_string(call.call);
    svg.text(kLeft, 26, title, 17, kText, "start", true);
    int const threads = call.total_threads();
    std::uint64_t moved = 0;
    std::uint64_t chunks = 0;
    for (auto const& r : stats.ranks) {
        moved += r.bytes_sent;
        chunks += r.chunks;
    }
    std::string const totals = std::to_string(stats.tasks) + " tasks in " + std::to_string(chunks) + " chunks  ·  " +
                               std::to_string(call.ranks.size()) + (call.ranks.size() == 1 ? " rank, " : " ranks, ") +
                               std::to_string(threads) + (threads == 1 ? " thread" : " threads") + "  ·  wall " +
                               duration_text(stats.wall_seconds) + "  ·  utilization " +
                               printf_string("%.1f%%", stats.utilization * 100) + "  ·  load imbalance " +
                               printf_string("%.1f%%", stats.load_imbalance * 100) +
                               (moved > 0 ? "  ·  " + human_bytes(moved) + " sent" : std::string());
    svg.text(kLeft, 48, totals, 12, kMuted);

    draw_utilization(svg, call, layout, stats.utilization);
    double y = layout.rows_top;
    for (std::size_t i = 0; i < call.ranks.size(); ++i) {
        if (i > 0) {
            svg.line(8, y + kRankGap / 2, layout.scale.x1, y + kRankGap / 2, "#eeeeee");
            y += kRankGap;
        }
        y = draw_rank(svg, call.ranks[i], call.ranks[i].rank == call.root, layout, y, stats, i);
    }
    draw_axis(svg, layout, axis_y);
    bool const all_compute = std::all_of(call.ranks.begin(), call.ranks.end(),
                                         [](RankTrace const& r) { return r.computes; });
    draw_legend(svg, legend_y, all_compute);
    if (stats.dropped_events > 0)
        svg.text(kLeft, legend_y + 20,
                 "The trace lost " + std::to_string(stats.dropped_events) +
                     " events to its size cap: some busy time is missing from the rows (the totals are complete).",
                 11, "#b23b3b");
    svg.raw("</svg>\n");
    return svg.str();
}

}  // namespace taskfarm::cli
