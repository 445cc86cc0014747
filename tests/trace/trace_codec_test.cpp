// A rank's trace survives the trip to the root byte for byte; a damaged message is refused, and
// merging puts every rank on the root's clock.
#include <gtest/gtest.h>

#include <cstring>

#include <taskfarm/errors.hpp>

#include "trace/trace_codec.hpp"

namespace taskfarm::detail {
namespace {

RankTrace sample() {
    RankTrace t;
    t.rank = 2;
    t.threads = 2;
    t.computes = false;
    t.clock_offset = 0.125;
    t.seconds = 3.5;
    t.chunks = 3;
    t.dispatched = 7;
    t.wait_seconds = 0.75;
    t.bytes_sent = 123456789012ull;
    t.bytes_received = 42;
    t.messages_sent = 5;
    t.messages_received = 6;
    t.dropped_events = 1;
    t.thread_counters = {{10, 1.25}, {20, 2.5}};
    t.events = {{TraceKind::block, 2, 0, -1, 0.1, 0.2, 0, 10},
                {TraceKind::dispatch, 2, 0, 3, 0.15, 0.16, 10, 20},
                {TraceKind::wait, 2, 0, -1, 0.3, 0.4, 0, 0},
                {TraceKind::block, 2, 1, -1, 0.2, 0.5, 1ull << 40, 20}};
    return t;
}

void expect_refused(std::vector<std::byte> const& bytes, std::string const& why) {
    try {
        (void)decode_rank_trace(bytes);
        FAIL() << "decoded a damaged message (" << why << ")";
    } catch (Error const& e) {
        EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
}

TEST(TraceCodec, RoundTripsEveryFieldAndEvent) {
    RankTrace const original = sample();
    EXPECT_EQ(decode_rank_trace(encode_rank_trace(original)), original);
    EXPECT_EQ(decode_rank_trace(encode_rank_trace(RankTrace{})), RankTrace{});
}

TEST(TraceCodec, RefusesTruncatedExtendedAndForeignMessages) {
    auto const bytes = encode_rank_trace(sample());
    expect_refused(std::vector<std::byte>(bytes.begin(), bytes.end() - 1), "malformed trace message");
    auto longer = bytes;
    longer.push_back(std::byte{0});
    expect_refused(longer, "trailing bytes");
    auto foreign = bytes;
    foreign[0] = std::byte{'X'};
    expect_refused(foreign, "not a trace");
    expect_refused({}, "ends early");
}

TEST(TraceCodec, RefusesACountLargerThanTheMessage) {
    RankTrace t = sample();
    t.events.clear();
    auto bytes = encode_rank_trace(t);
    // The last 8 bytes are the event count (0): claim a million events.
    std::uint64_t const huge = 1000000;
    std::memcpy(bytes.data() + bytes.size() - sizeof huge, &huge, sizeof huge);
    expect_refused(bytes, "count exceeds");
}

TEST(MergeCall, ShiftsEveryRankOntoTheRootClockAndOrdersRanks) {
    RankTrace a;
    a.rank = 1;
    a.clock_offset = 0.5;
    a.events = {{TraceKind::block, 1, 0, -1, 0.3, 0.4, 5, 1}, {TraceKind::block, 1, 1, -1, 0.1, 0.2, 6, 1}};
    RankTrace b;
    b.rank = 0;
    b.events = {{TraceKind::block, 0, 0, -1, 0.0, 0.1, 0, 5}};
    CallTrace header;
    header.call = 4;
    CallTrace const call = merge_call(header, {a, b});
    EXPECT_EQ(call.call, 4u);
    ASSERT_EQ(call.ranks.size(), 2u);
    EXPECT_EQ(call.ranks[0].rank, 0);
    EXPECT_EQ(call.ranks[1].clock_offset, 0.0);
    ASSERT_EQ(call.ranks[1].events.size(), 2u);
    EXPECT_DOUBLE_EQ(call.ranks[1].events[0].start, 0.6);  // ordered by start once shifted
    EXPECT_EQ(call.ranks[1].events[0].first, 6u);
    EXPECT_DOUBLE_EQ(call.ranks[1].events[1].end, 0.9);
}

TEST(MergeCall, RefusesARankTwice) {
    RankTrace a;
    a.rank = 1;
    EXPECT_THROW((void)merge_call({}, {a, a}), std::invalid_argument);
}

}  // namespace
}  // namespace taskfarm::detail
