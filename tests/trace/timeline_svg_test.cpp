// The timeline is well-formed SVG (an XML parser reads it) that draws every chunk of a small call
// once, in its rank's and thread's row, keeps its size bounded for a large call, and says in its
// title what the call did.
#include <gtest/gtest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <regex>
#include <sstream>

#include "timeline_svg.hpp"
#include "trace_fixtures.hpp"

namespace taskfarm::cli {
namespace {

using boost::property_tree::ptree;

ptree parse_xml(std::string const& text) {
    std::istringstream in(text);
    ptree document;
    boost::property_tree::read_xml(in, document);  // throws on XML that is not well-formed
    return document;
}

// Every element under `node`, depth first, with its tag.
void walk(ptree const& node, std::string const& tag, std::vector<std::pair<std::string, ptree const*>>& out) {
    for (auto const& [key, child] : node) {
        if (key == "<xmlattr>" || key == "<xmlcomment>") continue;
        out.emplace_back(key, &child);
        walk(child, key, out);
    }
    (void)tag;
}

TEST(TimelineSvg, IsWellFormedSvgWithEveryChunkDrawnOnceInItsRow) {
    std::uint64_t const tasks = 300;
    auto const call = detail::testing::synthetic_call(tasks, 3, 2);
    std::string const svg = timeline_svg(call, TimelineOptions{4000, ""});
    ptree const document = parse_xml(svg);
    ptree const& root = document.get_child("svg");
    EXPECT_EQ(root.get<std::string>("<xmlattr>.xmlns"), "http://www.w3.org/2000/svg");
    EXPECT_EQ(root.get<int>("<xmlattr>.width"), 4000);

    // At 4000 px every chunk of this call is wider than a pixel apart: each has its own
    // rectangle, whose tooltip names its tasks, rank and thread.
    std::vector<int> covered(tasks, 0);
    std::regex const slice(R"(tasks? (\d+)(?:-(\d+))? on rank (\d+) thread (\d+): .*)");
    std::vector<std::pair<std::string, ptree const*>> elements;
    walk(document, "", elements);
    std::size_t slices = 0;
    for (auto const& [tag, node] : elements) {
        if (tag != "rect") continue;
        auto const title = node->get_optional<std::string>("title");
        std::smatch m;
        if (!title || !std::regex_match(*title, m, slice)) continue;
        ++slices;
        std::uint64_t const first = std::stoull(m[1]);
        std::uint64_t const last = m[2].matched ? std::stoull(m[2]) : first;
        for (auto i = first; i <= last; ++i) ++covered.at(i);
        // The chunk really ran there.
        auto const& events = call.ranks.at(std::stoul(m[3])).events;
        EXPECT_TRUE(std::any_of(events.begin(), events.end(), [&](detail::TraceEvent const& e) {
            return e.kind == detail::TraceKind::block && e.first == first && e.thread == std::stoi(m[4]);
        })) << *title;
    }
    std::uint64_t chunks = 0;
    for (auto const& r : call.ranks) chunks += r.chunks;
    EXPECT_EQ(slices, chunks);
    for (std::uint64_t i = 0; i < tasks; ++i) EXPECT_EQ(covered[i], 1) << "task " << i;
}

TEST(TimelineSvg, TitleSaysWhatTheCallDid) {
    auto call = detail::testing::synthetic_call(1000, 2, 2);
    call.kind = "map_reduce";
    call.call = 3;
    std::string const svg = timeline_svg(call);
    EXPECT_NE(svg.find(">taskfarm map_reduce, call 3<"), std::string::npos);
    EXPECT_NE(svg.find("1000 tasks in "), std::string::npos);
    EXPECT_NE(svg.find("2 ranks, 4 threads"), std::string::npos);
    EXPECT_NE(svg.find("load imbalance"), std::string::npos);
    EXPECT_NE(timeline_svg(call, TimelineOptions{1200, "sweep <A&B>"}).find(">sweep &lt;A&amp;B&gt;<"),
              std::string::npos);
}

TEST(TimelineSvg, StaysSmallForALargeCallByMergingSubPixelSlices) {
    auto const call = detail::testing::synthetic_call(400000, 4, 4);
    std::size_t events = 0;
    for (auto const& r : call.ranks) events += r.events.size();
    ASSERT_GT(events, 15000u);
    std::string const svg = timeline_svg(call);
    EXPECT_LT(svg.size(), 2'000'000u);  // a few rectangles per pixel column and row at most
    EXPECT_NO_THROW(parse_xml(svg));
}

TEST(TimelineSvg, SaysWhenTheTraceLostEvents) {
    auto call = detail::testing::synthetic_call(100, 2, 1);
    EXPECT_EQ(timeline_svg(call).find("lost"), std::string::npos);
    call.ranks[1].dropped_events = 12;
    EXPECT_NE(timeline_svg(call).find("The trace lost 12 events"), std::string::npos);
}

TEST(TimelineSvg, DrawsAnEmptyCall) {
    detail::CallTrace call;
    call.ranks.resize(1);
    EXPECT_NO_THROW(parse_xml(timeline_svg(call)));
}

}  // namespace
}  // namespace taskfarm::cli
