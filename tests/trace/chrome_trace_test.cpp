// The Chrome trace is JSON that a generic parser accepts, with a track per rank and thread and
// block slices that cover every task exactly once; reading it back gives the call that was written.
#define BOOST_BIND_GLOBAL_PLACEHOLDERS  // Boost 1.74's JSON parser includes the old bind.hpp
#include <gtest/gtest.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <taskfarm/errors.hpp>

#include "trace/chrome_trace.hpp"
#include "trace/chrome_trace_reader.hpp"
#include "trace_fixtures.hpp"

namespace taskfarm::detail {
namespace {

using boost::property_tree::ptree;

ptree parse(std::string const& json) {
    std::istringstream in(json);
    ptree document;
    boost::property_tree::read_json(in, document);  // throws if it is not JSON
    return document;
}

std::string written(CallTrace const& call) {
    std::ostringstream out;
    write_chrome_trace(out, call);
    return out.str();
}

TEST(ChromeTrace, IsJsonWhoseBlockSlicesCoverEveryTaskOnce) {
    std::uint64_t const tasks = 5000;
    CallTrace const call = testing::synthetic_call(tasks, 3, 2);
    ptree const document = parse(written(call));

    std::vector<int> covered(tasks, 0);
    std::set<std::pair<int, int>> tracks;
    std::size_t dispatches = 0;
    std::size_t waits = 0;
    for (auto const& [key, event] : document.get_child("traceEvents")) {
        std::string const phase = event.get<std::string>("ph");
        if (phase == "M") continue;
        ASSERT_EQ(phase, "X");
        EXPECT_GE(event.get<double>("dur"), 0.0);
        std::string const category = event.get<std::string>("cat");
        if (category == "block") {
            auto const first = event.get<std::uint64_t>("args.first");
            auto const count = event.get<std::uint64_t>("args.count");
            ASSERT_LE(first + count, tasks);
            for (std::uint64_t i = first; i < first + count; ++i) ++covered[i];
            tracks.emplace(event.get<int>("pid"), event.get<int>("tid"));
        } else if (category == "dispatch") {
            ++dispatches;
            EXPECT_EQ(event.get<int>("pid"), 0);
            EXPECT_EQ(event.get<int>("tid"), kEngineTrack);
            EXPECT_GT(event.get<int>("args.to"), 0);
        } else {
            ASSERT_EQ(category, "wait");
            ++waits;
        }
    }
    for (std::uint64_t i = 0; i < tasks; ++i) ASSERT_EQ(covered[i], 1) << "task " << i;
    EXPECT_EQ(tracks.size(), 6u);  // 3 ranks x 2 threads all ran something
    EXPECT_EQ(dispatches, call.ranks[0].dispatched);
    EXPECT_EQ(waits, 2u);
    EXPECT_EQ(document.get<std::uint64_t>("taskfarm.tasks"), tasks);
}

TEST(ChromeTrace, NamesEveryRankAndThreadTrack) {
    CallTrace const call = testing::synthetic_call(100, 2, 3);
    ptree const document = parse(written(call));
    std::map<std::pair<int, int>, std::string> thread_names;
    std::map<int, std::string> process_names;
    for (auto const& [key, event] : document.get_child("traceEvents")) {
        if (event.get<std::string>("ph") != "M") continue;
        if (event.get<std::string>("name") == "process_name")
            process_names[event.get<int>("pid")] = event.get<std::string>("args.name");
        if (event.get<std::string>("name") == "thread_name")
            thread_names[{event.get<int>("pid"), event.get<int>("tid")}] = event.get<std::string>("args.name");
    }
    EXPECT_EQ(process_names[0], "rank 0 (root)");
    EXPECT_EQ(process_names[1], "rank 1");
    EXPECT_EQ(thread_names[std::make_pair(1, 2)], "thread 2");
    EXPECT_EQ(thread_names[std::make_pair(0, kEngineTrack)], "engine (dispatch, wait)");
    EXPECT_EQ(thread_names.size(), 2u * (3 + 1));
}

TEST(ChromeTrace, ReadsBackTheCallItWrote) {
    CallTrace call = testing::synthetic_call(777, 2, 2);
    call.kind = "for_each \"quoted\"\\";  // escaping holds
    call.ranks[1].bytes_sent = 1234;
    call.ranks[1].dropped_events = 9;
    std::istringstream in(written(call));
    CallTrace const back = read_chrome_trace(in);
    EXPECT_EQ(back.kind, call.kind);
    EXPECT_EQ(back.tasks, call.tasks);
    EXPECT_NEAR(back.wall_seconds, call.wall_seconds, 1e-9);
    ASSERT_EQ(back.ranks.size(), call.ranks.size());
    for (std::size_t r = 0; r < call.ranks.size(); ++r) {
        RankTrace const& a = call.ranks[r];
        RankTrace const& b = back.ranks[r];
        EXPECT_EQ(b.threads, a.threads);
        EXPECT_EQ(b.chunks, a.chunks);
        EXPECT_EQ(b.bytes_sent, a.bytes_sent);
        EXPECT_EQ(b.dropped_events, a.dropped_events);
        EXPECT_EQ(b.tasks(), a.tasks());
        EXPECT_NEAR(b.busy_seconds(), a.busy_seconds(), 1e-6);
        ASSERT_EQ(b.events.size(), a.events.size());
        for (std::size_t i = 0; i < a.events.size(); ++i) {
            EXPECT_EQ(b.events[i].kind, a.events[i].kind);
            EXPECT_EQ(b.events[i].thread, a.events[i].thread);
            EXPECT_EQ(b.events[i].first, a.events[i].first);
            EXPECT_EQ(b.events[i].count, a.events[i].count);
            EXPECT_EQ(b.events[i].peer, a.events[i].peer);
            EXPECT_NEAR(b.events[i].start, a.events[i].start, 1e-9);  // microseconds to 3 decimals
            EXPECT_NEAR(b.events[i].end, a.events[i].end, 2e-9);
        }
    }
}

TEST(ChromeTrace, DerivesCountersForATraceOfAnotherProducer) {
    std::istringstream in(R"({"traceEvents":[
        {"ph":"X","cat":"block","name":"a","pid":0,"tid":1,"ts":0,"dur":2000000,"args":{"first":0,"count":3}},
        {"ph":"X","cat":"block","name":"b","pid":1,"tid":0,"ts":500000,"dur":1000000,"args":{"first":3,"count":2}},
        {"ph":"X","cat":"wait","name":"w","pid":1,"tid":100000,"ts":1500000,"dur":500000},
        {"ph":"X","cat":"gc","name":"ignored","pid":0,"tid":0,"ts":0,"dur":1},
        {"ph":"i","name":"instant","pid":0,"tid":0,"ts":0}]})");
    CallTrace const call = read_chrome_trace(in);
    ASSERT_EQ(call.ranks.size(), 2u);
    EXPECT_EQ(call.tasks, 5u);
    EXPECT_DOUBLE_EQ(call.wall_seconds, 2.0);
    EXPECT_EQ(call.ranks[0].threads, 2);
    EXPECT_EQ(call.ranks[0].thread_counters[1].tasks, 3u);
    EXPECT_DOUBLE_EQ(call.ranks[1].wait_seconds, 0.5);
    EXPECT_EQ(call.ranks[1].events.size(), 2u);
    EXPECT_EQ(call.ranks[1].events[1].thread, 0);  // the engine track is the main thread's
}

TEST(ChromeTrace, SaysWhatIsWrongWithABadFile) {
    std::istringstream not_json("{\"traceEvents\": [\n{\"ph\": }");
    try {
        (void)read_chrome_trace(not_json);
        FAIL() << "read a file that is not JSON";
    } catch (Error const& e) {
        EXPECT_NE(std::string(e.what()).find("not valid JSON: line 2"), std::string::npos) << e.what();
    }
    std::istringstream no_events(R"({"something": []})");
    EXPECT_THROW((void)read_chrome_trace(no_events), Error);
    try {
        (void)read_chrome_trace_file("/nonexistent/run.trace.json");
        FAIL() << "read a file that does not exist";
    } catch (Error const& e) {
        EXPECT_NE(std::string(e.what()).find("cannot open the trace /nonexistent/run.trace.json"), std::string::npos);
    }
}

TEST(ChromeTrace, WritesOneFilePerCallNamedLikeTheJournal) {
    EXPECT_EQ(trace_path_for_call("run.json", 0), "run.json");
    EXPECT_EQ(trace_path_for_call("run.json", 1), "run.json.1");
    EXPECT_EQ(trace_path_for_call("run.json", 12), "run.json.12");

    auto const dir = std::filesystem::temp_directory_path() / ("taskfarm_trace_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto const path = (dir / "run.json").string();
    write_chrome_trace_file(path, testing::synthetic_call(50, 2, 1));
    EXPECT_EQ(read_chrome_trace_file(path).tasks, 50u);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    EXPECT_THROW(write_chrome_trace_file((dir / "missing" / "run.json").string(), CallTrace{}), Error);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace taskfarm::detail
