#include <gtest/gtest.h>

#include "engine/wire.hpp"

using namespace taskfarm::detail;

TEST(Wire, MessageRoundTripsHeaderPayloadAndFailures) {
    Bytes buffer;
    MessageBuilder builder(buffer);
    char const payload[] = "results";
    auto const* p = reinterpret_cast<std::byte const*>(payload);
    builder.payload().insert(builder.payload().end(), p, p + sizeof(payload));
    Header header{MessageKind::result, 7, 100, 25};
    header.seconds = 0.25;
    builder.finish(header, {{101, 3, "boom"}, {120, 2, ""}});

    MessageView const view = parse_message(buffer);
    EXPECT_EQ(view.header.kind, MessageKind::result);
    EXPECT_EQ(view.header.call, 7u);
    EXPECT_EQ(view.header.first, 100u);
    EXPECT_EQ(view.header.count, 25u);
    EXPECT_EQ(view.header.seconds, 0.25);
    ASSERT_EQ(view.payload.size(), sizeof(payload));
    EXPECT_EQ(std::memcmp(view.payload.data(), payload, sizeof(payload)), 0);
    ASSERT_EQ(view.failures.size(), 2u);
    EXPECT_EQ(view.failures[0].index, 101u);
    EXPECT_EQ(view.failures[0].rank, 3);
    EXPECT_EQ(view.failures[0].message, "boom");
    EXPECT_EQ(view.failures[1].message, "");
}

TEST(Wire, TruncatedMessagesAreRejected) {
    Bytes buffer;
    MessageBuilder builder(buffer);
    builder.payload().resize(sizeof(Header) + 10);
    builder.finish(Header{MessageKind::result, 1, 0, 1}, {{0, 1, "a failure"}});
    for (std::size_t cut = 0; cut < buffer.size(); ++cut) {
        ByteView const truncated(buffer.data(), cut);
        EXPECT_THROW(parse_message(truncated), taskfarm::Error) << "cut at " << cut;
    }
}

TEST(Wire, ASplitResultsHeadKeepsTheHeaderAndFailuresAndAnnouncesThePayload) {
    Bytes buffer;
    MessageBuilder builder(buffer);
    builder.payload().resize(sizeof(Header) + 3000, std::byte{0x5a});
    builder.finish(Header{MessageKind::result, 4, 10, 6}, {{12, 1, "task twelve"}});

    Bytes const head = split_result_head(buffer);
    // Only the header and the failure records travel in the head, never the payload.
    EXPECT_EQ(head.size(), buffer.size() - 3000);
    MessageView const view = parse_message(head);
    EXPECT_EQ(view.header.kind, MessageKind::result_head);
    EXPECT_EQ(view.header.call, 4u);
    EXPECT_EQ(view.header.first, 10u);
    EXPECT_EQ(view.header.count, 6u);
    EXPECT_EQ(view.header.payload_bytes, 3000u);
    EXPECT_TRUE(view.payload.empty());
    ASSERT_EQ(view.failures.size(), 1u);
    EXPECT_EQ(view.failures[0].index, 12u);
    EXPECT_EQ(view.failures[0].message, "task twelve");
}
