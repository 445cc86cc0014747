// What is appended comes back, in order, through a plain read and through reopening for append.
#include <gtest/gtest.h>

#include "journal/journal_error.hpp"
#include "journal_test_support.hpp"

namespace taskfarm::journal {
namespace {
using namespace testing;

TEST(JournalRoundTrip, NewJournalIsEmptyAndAllPending) {
    ScratchDir dir;
    auto opened = open_journal(dir / "j", 0, test_fingerprint(10));
    EXPECT_TRUE(opened.replay.blocks.empty());
    EXPECT_EQ(opened.replay.pending(), (std::vector<TaskRange>{{0, 10}}));
    opened.writer.close();
    auto const replay = read_section(dir / "j", 0, test_fingerprint(10));
    EXPECT_EQ(replay.records, 0u);
    EXPECT_EQ(replay.dropped_bytes, 0u);
}

TEST(JournalRoundTrip, BlocksComeBackInOrderWithFailuresAndPayloads) {
    ScratchDir dir;
    std::vector<ExpectedBlock> written;
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint());
        // Out of task order on purpose: blocks complete in any order.
        for (std::uint64_t k : {2, 0, 1, 3, 5, 4}) {
            written.push_back(test_block(k));
            append(opened.writer, written.back());
        }
        opened.writer.close();
    }
    auto const replay = read_section(dir / "j", 0, test_fingerprint());
    ASSERT_EQ(replay.blocks.size(), written.size());
    for (std::size_t i = 0; i < written.size(); ++i) {
        expect_block_eq(replay.blocks[i], written[i]);
        EXPECT_EQ(replay.blocks[i].record, i);
    }
    EXPECT_TRUE(replay.sealed);
    EXPECT_EQ(replay.records, written.size() + 1);  // and the seal
    EXPECT_EQ(replay.dropped_bytes, 0u);
    EXPECT_EQ(replay.fingerprint, test_fingerprint());
    // Blocks 0..5 cover tasks 0..23; tasks 5 (block 1) and 21 (block 5) failed.
    EXPECT_EQ(replay.pending(), (std::vector<TaskRange>{{5, 1}, {21, 1}, {24, 76}}));
}

TEST(JournalRoundTrip, ReopeningAppendsAfterWhatIsThere) {
    ScratchDir dir;
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint());
        for (std::uint64_t k = 0; k < 3; ++k) append(opened.writer, test_block(k));
    }  // the destructor closes (syncs and seals)
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint());
        ASSERT_EQ(opened.replay.blocks.size(), 3u);
        EXPECT_TRUE(opened.replay.sealed);
        for (std::uint64_t k = 3; k < 6; ++k) append(opened.writer, test_block(k));
        opened.writer.close();
    }
    auto const replay = read_section(dir / "j", 0, test_fingerprint());
    ASSERT_EQ(replay.blocks.size(), 6u);
    for (std::uint64_t k = 0; k < 6; ++k) expect_block_eq(replay.blocks[k], test_block(k));
    EXPECT_EQ(replay.records, 8u);  // 6 blocks, 2 seals
}

TEST(JournalRoundTrip, ReadingWhileTheWriterIsOpenSeesEveryAppendedRecord) {
    // Records reach the kernel on append, not on sync: a killed process loses none of them.
    ScratchDir dir;
    int syncs = 0;
    auto opened = open_journal(dir / "j", 0, test_fingerprint(), Durability{1000, 1e9}, counting_hooks(&syncs));
    for (std::uint64_t k = 0; k < 4; ++k) append(opened.writer, test_block(k));
    EXPECT_EQ(syncs, 0);
    auto const replay = read_section(dir / "j", 0, test_fingerprint());
    ASSERT_EQ(replay.blocks.size(), 4u);
    EXPECT_FALSE(replay.sealed);
}

TEST(JournalRoundTrip, LargePayloadSurvives) {
    ScratchDir dir;
    std::vector<std::byte> big(3 << 20);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>(i * 2654435761u >> 13);
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint());
        opened.writer.append_block(0, 100, big);
    }
    auto const replay = read_section(dir / "j", 0, test_fingerprint());
    ASSERT_EQ(replay.blocks.size(), 1u);
    EXPECT_TRUE(std::equal(big.begin(), big.end(), replay.blocks[0].payload.begin(), replay.blocks[0].payload.end()));
}

TEST(JournalRoundTrip, ReplayKeepsPayloadsValidWhenMoved) {
    ScratchDir dir;
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint());
        append(opened.writer, test_block(2));
    }
    Replay moved = read_section(dir / "j", 0, test_fingerprint());
    Replay target = std::move(moved);
    expect_block_eq(target.blocks.at(0), test_block(2));
}

TEST(JournalRoundTrip, MisuseIsAUsageError) {
    ScratchDir dir;
    auto opened = open_journal(dir / "j", 0, test_fingerprint(10));
    std::vector<std::byte> payload(8);
    EXPECT_THROW(opened.writer.append_block(3, 0, payload), UsageError);
    try {
        opened.writer.append_block(8, 3, payload);
        FAIL() << "a block past the task count was accepted";
    } catch (UsageError const& e) {
        EXPECT_STREQ(e.what(), "journal: append_block of tasks [8, 11) outside the 10 tasks of the call");
    }
    opened.writer.close();
    try {
        opened.writer.append_block(0, 1, payload);
        FAIL() << "append after close was accepted";
    } catch (JournalError const& e) {
        EXPECT_NE(std::string(e.what()).find("cannot append: the journal is closed"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace taskfarm::journal
