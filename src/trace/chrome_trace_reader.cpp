// Boost.PropertyTree's JSON parser (Debian 12's Boost 1.74 has no Boost.JSON) keeps every value
// as a string; numbers are converted where they are read. It holds the whole document in memory
// (a few hundred bytes per event), which is fine for the traces a person looks at.
#include "trace/chrome_trace_reader.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <string>

// Boost 1.74's parser includes the old <boost/bind.hpp>, which warns unless told to keep its
// global placeholders; nothing here uses them.
#define BOOST_BIND_GLOBAL_PLACEHOLDERS
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <taskfarm/errors.hpp>

#include "trace/chrome_trace.hpp"

namespace taskfarm::detail {

namespace {

using boost::property_tree::ptree;

template <class T>
T number(ptree const& node, char const* key, T fallback) {
    auto const child = node.get_child_optional(key);
    if (!child) return fallback;
    try {
        return child->get_value<T>();
    } catch (boost::property_tree::ptree_bad_data const&) {
        throw Error(std::string("taskfarm: trace: \"") + key + "\" is not a number: " + child->data());
    }
}

RankTrace read_rank_counters(ptree const& node) {
    RankTrace r;
    r.rank = number(node, "rank", 0);
    r.threads = number(node, "threads", 1);
    r.computes = node.get("computes", true);
    r.seconds = number(node, "seconds", 0.0);
    r.chunks = number<std::uint64_t>(node, "chunks", 0);
    r.dispatched = number<std::uint64_t>(node, "dispatched", 0);
    r.wait_seconds = number(node, "wait_seconds", 0.0);
    r.bytes_sent = number<std::uint64_t>(node, "bytes_sent", 0);
    r.bytes_received = number<std::uint64_t>(node, "bytes_received", 0);
    r.messages_sent = number<std::uint64_t>(node, "messages_sent", 0);
    r.messages_received = number<std::uint64_t>(node, "messages_received", 0);
    r.dropped_events = number<std::uint64_t>(node, "dropped_events", 0);
    r.thread_counters.resize(static_cast<std::size_t>(std::max(r.threads, 1)));
    std::size_t t = 0;
    if (auto const tasks = node.get_child_optional("thread_tasks"))
        for (auto const& [key, value] : *tasks)
            if (t < r.thread_counters.size()) r.thread_counters[t++].tasks = value.get_value<std::uint64_t>();
    t = 0;
    if (auto const busy = node.get_child_optional("thread_busy_seconds"))
        for (auto const& [key, value] : *busy)
            if (t < r.thread_counters.size()) r.thread_counters[t++].busy_seconds = value.get_value<double>();
    return r;
}

std::optional<TraceEvent> read_event(ptree const& node) {
    if (node.get<std::string>("ph", "") != "X") return std::nullopt;
    std::string const category = node.get<std::string>("cat", "");
    TraceEvent e;
    if (category == "block") {
        e.kind = TraceKind::block;
    } else if (category == "dispatch") {
        e.kind = TraceKind::dispatch;
    } else if (category == "wait") {
        e.kind = TraceKind::wait;
    } else {
        return std::nullopt;
    }
    e.rank = number(node, "pid", 0);
    e.thread = number(node, "tid", 0);
    if (e.thread == kEngineTrack) e.thread = 0;
    double const ts = number(node, "ts", 0.0);
    e.start = ts / 1e6;
    e.end = (ts + number(node, "dur", 0.0)) / 1e6;
    if (auto const args = node.get_child_optional("args")) {
        e.first = number<std::uint64_t>(*args, "first", 0);
        e.count = number<std::uint64_t>(*args, "count", 0);
        e.peer = number(*args, "to", -1);
    }
    return e;
}

// For a trace without taskfarm's counters: what the slices say.
void derive_counters(RankTrace& r) {
    int threads = 1;
    for (auto const& e : r.events)
        if (e.kind == TraceKind::block) threads = std::max(threads, e.thread + 1);
    r.threads = threads;
    r.thread_counters.assign(static_cast<std::size_t>(threads), ThreadCounters{});
    for (auto const& e : r.events) {
        if (e.kind == TraceKind::block) {
            auto& c = r.thread_counters[static_cast<std::size_t>(e.thread)];
            c.tasks += e.count;
            c.busy_seconds += e.end - e.start;
        } else if (e.kind == TraceKind::wait) {
            r.wait_seconds += e.end - e.start;
        } else {
            ++r.dispatched;
        }
        r.seconds = std::max(r.seconds, e.end);
    }
}

}  // namespace

CallTrace read_chrome_trace(std::istream& in) {
    ptree document;
    try {
        boost::property_tree::read_json(in, document);
    } catch (boost::property_tree::json_parser_error const& e) {
        throw Error("taskfarm: the trace is not valid JSON: line " + std::to_string(e.line()) + ": " + e.message());
    }
    auto const events = document.get_child_optional("traceEvents");
    if (!events) throw Error("taskfarm: not a Chrome trace: no \"traceEvents\" array");

    CallTrace call;
    std::map<int, RankTrace> ranks;
    auto const counters = document.get_child_optional("taskfarm");
    if (counters) {
        call.call = number<std::uint32_t>(*counters, "call", 0);
        call.kind = counters->get<std::string>("kind", "");
        call.root = number(*counters, "root", 0);
        call.tasks = number<std::uint64_t>(*counters, "tasks", 0);
        call.wall_seconds = number(*counters, "wall_seconds", 0.0);
        if (auto const list = counters->get_child_optional("ranks"))
            for (auto const& [key, node] : *list) {
                RankTrace r = read_rank_counters(node);
                ranks[r.rank] = std::move(r);
            }
    }
    for (auto const& [key, node] : *events) {
        auto event = read_event(node);
        if (!event) continue;
        RankTrace& r = ranks[event->rank];
        r.rank = event->rank;
        r.events.push_back(*event);
    }
    std::vector<RankTrace> list;
    for (auto& [rank, r] : ranks) {
        if (!counters) derive_counters(r);
        list.push_back(std::move(r));
    }
    call = merge_call(std::move(call), std::move(list));
    if (!counters) {
        for (auto const& r : call.ranks) {
            call.tasks += r.tasks();
            call.wall_seconds = std::max(call.wall_seconds, r.seconds);
        }
    }
    return call;
}

CallTrace read_chrome_trace_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("taskfarm: cannot open the trace " + path);
    try {
        return read_chrome_trace(in);
    } catch (Error const& e) {
        std::string what = e.what();
        if (what.starts_with("taskfarm: ")) what.erase(0, 10);
        throw Error("taskfarm: " + path + ": " + what);
    }
}

}  // namespace taskfarm::detail
