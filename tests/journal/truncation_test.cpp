// A crash can cut the file anywhere. For every length of a small journal, a read gives exactly the
// records that fit, never garbage; reopening truncates the torn tail and appends after it.
#include <gtest/gtest.h>

#include "journal/journal_error.hpp"
#include "journal_test_support.hpp"

namespace taskfarm::journal {
namespace {
using namespace testing;

constexpr std::uint64_t block_count = 6;

/// A journal as a killed writer leaves it: blocks only, no seal.
std::vector<std::byte> unsealed_journal(ScratchDir const& dir) {
    int syncs = 0;
    auto opened = open_journal(dir / "full", 0, test_fingerprint(), Durability{2, 1e9}, counting_hooks(&syncs));
    for (std::uint64_t k = 0; k < block_count; ++k) append(opened.writer, test_block(k));
    return read_bytes(dir / "full");  // read before the writer closes and seals
}

/// How many whole records fit in the first `length` bytes.
std::uint64_t records_within(std::vector<std::size_t> const& offsets, std::size_t length) {
    std::uint64_t n = 0;
    while (n + 1 < offsets.size() && offsets[n + 1] <= length) ++n;
    return n;
}

TEST(JournalTruncation, EveryPrefixReadsAsItsWholeRecords) {
    ScratchDir dir;
    auto const full = unsealed_journal(dir);
    auto const offsets = record_offsets(full);
    ASSERT_EQ(offsets.size(), block_count + 1);
    ASSERT_EQ(offsets.back(), full.size());

    for (std::size_t length = 0; length <= full.size(); ++length) {
        SCOPED_TRACE("length " + std::to_string(length));
        std::vector<std::byte> const prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(length));
        write_bytes(dir / "cut", prefix);
        if (length < offsets.front()) {
            // A header is written aside and linked into place whole, so a short one is not a crash.
            if (length == 0) {
                EXPECT_THROW((void)read_section(dir / "cut", 0, test_fingerprint()), NotAJournalError);
            } else {
                EXPECT_THROW((void)read_section(dir / "cut", 0, test_fingerprint()), JournalCorruptError);
            }
            continue;
        }
        auto const replay = read_section(dir / "cut", 0, test_fingerprint());
        std::uint64_t const whole = records_within(offsets, length);
        ASSERT_EQ(replay.blocks.size(), whole);
        for (std::uint64_t k = 0; k < whole; ++k) expect_block_eq(replay.blocks[k], test_block(k));
        EXPECT_EQ(replay.valid_bytes, offsets[whole]);
        EXPECT_EQ(replay.dropped_bytes, length - offsets[whole]);
        EXPECT_EQ(replay.dropped_reason.empty(), replay.dropped_bytes == 0) << replay.dropped_reason;
    }
}

TEST(JournalTruncation, ReopeningCutsTheTornTailAndAppendsAfterIt) {
    ScratchDir dir;
    auto const full = unsealed_journal(dir);
    auto const offsets = record_offsets(full);
    for (std::size_t length = offsets.front(); length <= full.size(); ++length) {
        SCOPED_TRACE("length " + std::to_string(length));
        write_bytes(dir / "cut",
                    std::vector<std::byte>(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(length)));
        std::uint64_t const whole = records_within(offsets, length);
        int syncs = 0;
        {
            auto opened = open_journal(dir / "cut", 0, test_fingerprint(), {}, counting_hooks(&syncs));
            ASSERT_EQ(opened.replay.blocks.size(), whole);
            EXPECT_EQ(std::filesystem::file_size(dir / "cut"), offsets[whole]) << "the torn tail is cut off";
            append(opened.writer, test_block(7));
        }
        auto const replay = read_section(dir / "cut", 0, test_fingerprint());
        ASSERT_EQ(replay.blocks.size(), whole + 1);
        for (std::uint64_t k = 0; k < whole; ++k) expect_block_eq(replay.blocks[k], test_block(k));
        expect_block_eq(replay.blocks.back(), test_block(7));
        EXPECT_EQ(replay.dropped_bytes, 0u);
        EXPECT_TRUE(replay.sealed);
    }
}

}  // namespace
}  // namespace taskfarm::journal
