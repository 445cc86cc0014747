#include "trace/chrome_trace.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <string_view>

#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

namespace {

// Numbers without the stream's locale, microseconds to the nanosecond.
std::string fixed(double value, int decimals) {
    if (!std::isfinite(value)) value = 0;
    char buffer[64];
    auto const result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
    return std::string(buffer, result.ptr);
}

std::string micros(double seconds) { return fixed(seconds * 1e6, 3); }

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                    out += escaped;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string task_span(std::uint64_t first, std::uint64_t count) {
    if (count == 1) return "task " + std::to_string(first);
    return "tasks " + std::to_string(first) + "-" + std::to_string(first + count - 1);
}

// Writes the comma-separated elements of one JSON array.
class ArrayWriter {
public:
    explicit ArrayWriter(std::ostream& out) : out_(out) {}
    std::ostream& next() {
        out_ << (first_ ? "\n" : ",\n");
        first_ = false;
        return out_;
    }

private:
    std::ostream& out_;
    bool first_ = true;
};

void write_metadata(ArrayWriter& events, CallTrace const& call) {
    for (auto const& rank : call.ranks) {
        std::string const pid = std::to_string(rank.rank);
        std::string name = "rank " + pid;
        if (rank.rank == call.root) name += rank.computes ? " (root)" : " (root, dispatch only)";
        events.next() << R"({"ph":"M","name":"process_name","pid":)" << pid << R"(,"args":{"name":)"
                      << json_string(name) << "}}";
        events.next() << R"({"ph":"M","name":"process_sort_index","pid":)" << pid << R"(,"args":{"sort_index":)" << pid
                      << "}}";
        for (int t = 0; t < rank.threads; ++t) {
            events.next() << R"({"ph":"M","name":"thread_name","pid":)" << pid << R"(,"tid":)" << t
                          << R"(,"args":{"name":"thread )" << t << "\"}}";
            events.next() << R"({"ph":"M","name":"thread_sort_index","pid":)" << pid << R"(,"tid":)" << t
                          << R"(,"args":{"sort_index":)" << t + 1 << "}}";
        }
        events.next() << R"({"ph":"M","name":"thread_name","pid":)" << pid << R"(,"tid":)" << kEngineTrack
                      << R"j(,"args":{"name":"engine (dispatch, wait)"}})j";
        events.next() << R"({"ph":"M","name":"thread_sort_index","pid":)" << pid << R"(,"tid":)" << kEngineTrack
                      << R"(,"args":{"sort_index":0}})";
    }
}

void write_event(ArrayWriter& events, TraceEvent const& e) {
    std::ostream& out = events.next();
    std::string name;
    std::string category;
    std::string args;
    int tid = e.thread;
    switch (e.kind) {
        case TraceKind::block:
            name = task_span(e.first, e.count);
            category = "block";
            args = R"({"first":)" + std::to_string(e.first) + R"(,"count":)" + std::to_string(e.count) + "}";
            break;
        case TraceKind::dispatch:
            name = "to rank " + std::to_string(e.peer) + ": " + task_span(e.first, e.count);
            category = "dispatch";
            args = R"({"first":)" + std::to_string(e.first) + R"(,"count":)" + std::to_string(e.count) + R"(,"to":)" +
                   std::to_string(e.peer) + "}";
            tid = kEngineTrack;
            break;
        case TraceKind::wait:
            name = "wait";
            category = "wait";
            args = "{}";
            tid = kEngineTrack;
            break;
    }
    out << R"({"ph":"X","name":)" << json_string(name) << R"(,"cat":")" << category << R"(","pid":)" << e.rank
        << R"(,"tid":)" << tid << R"(,"ts":)" << micros(e.start) << R"(,"dur":)" << micros(e.end - e.start)
        << R"(,"args":)" << args << "}";
}

void write_counters(std::ostream& out, CallTrace const& call) {
    out << R"("taskfarm":{"format":1,"call":)" << call.call << R"(,"kind":)" << json_string(call.kind) << R"(,"root":)"
        << call.root << R"(,"tasks":)" << call.tasks << R"(,"wall_seconds":)" << fixed(call.wall_seconds, 9)
        << R"(,"ranks":[)";
    bool first_rank = true;
    for (auto const& r : call.ranks) {
        out << (first_rank ? "\n" : ",\n") << R"({"rank":)" << r.rank << R"(,"threads":)" << r.threads
            << R"(,"computes":)" << (r.computes ? "true" : "false") << R"(,"seconds":)" << fixed(r.seconds, 9)
            << R"(,"chunks":)" << r.chunks << R"(,"dispatched":)" << r.dispatched << R"(,"wait_seconds":)"
            << fixed(r.wait_seconds, 9) << R"(,"bytes_sent":)" << r.bytes_sent << R"(,"bytes_received":)"
            << r.bytes_received << R"(,"messages_sent":)" << r.messages_sent << R"(,"messages_received":)"
            << r.messages_received << R"(,"dropped_events":)" << r.dropped_events << R"(,"thread_tasks":[)";
        for (std::size_t t = 0; t < r.thread_counters.size(); ++t) out << (t ? "," : "") << r.thread_counters[t].tasks;
        out << R"(],"thread_busy_seconds":[)";
        for (std::size_t t = 0; t < r.thread_counters.size(); ++t)
            out << (t ? "," : "") << fixed(r.thread_counters[t].busy_seconds, 9);
        out << "]}";
        first_rank = false;
    }
    out << "\n]}";
}

}  // namespace

void write_chrome_trace(std::ostream& out, CallTrace const& call) {
    out << R"({"displayTimeUnit":"ms",)"
        << "\n"
        << R"("otherData":{"producer":"taskfarm","call":")" << call.call << R"(","kind":)" << json_string(call.kind)
        << "},\n";
    write_counters(out, call);
    out << ",\n"
        << R"("traceEvents":[)";
    ArrayWriter events(out);
    write_metadata(events, call);
    for (auto const& rank : call.ranks)
        for (auto const& e : rank.events) write_event(events, e);
    out << "\n]}\n";
}

void write_chrome_trace_file(std::string const& path, CallTrace const& call) {
    std::string const temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw Error("taskfarm: cannot write the trace " + temporary);
        write_chrome_trace(out, call);
        out.flush();
        if (!out) throw Error("taskfarm: writing the trace " + temporary + " failed");
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
        throw Error("taskfarm: cannot rename the trace " + temporary + " to " + path);
}

std::string trace_path_for_call(std::string const& path, std::uint32_t call) {
    return call == 0 ? path : path + "." + std::to_string(call);
}

}  // namespace taskfarm::detail
