// Damage that is not a clean cut: flipped bytes in every position of a small journal. A bad record
// after the last sync is a torn tail (a power cut can leave any garbage there) and is dropped; a bad
// record that a later intact record proves was on disk is refused with its offset and number.
#include <gtest/gtest.h>

#include <algorithm>

#include "journal/journal_error.hpp"
#include "journal_test_support.hpp"

namespace taskfarm::journal {
namespace {
using namespace testing;

constexpr std::uint64_t block_count = 6;

/// Which record holds byte `at` (offsets from record_offsets; the last entry is the file's end).
std::uint64_t record_holding(std::vector<std::size_t> const& offsets, std::size_t at) {
    return static_cast<std::uint64_t>(std::upper_bound(offsets.begin(), offsets.end(), at) - offsets.begin()) - 1;
}

std::vector<std::byte> flipped(std::vector<std::byte> bytes, std::size_t at) {
    bytes[at] ^= std::byte{0x5A};
    return bytes;
}

TEST(JournalCorruption, AnyDamagedRecordOfACleanlyClosedJournalIsRefusedExceptTheSeal) {
    ScratchDir dir;
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint());
        for (std::uint64_t k = 0; k < block_count; ++k) append(opened.writer, test_block(k));
    }
    auto const clean = read_bytes(dir / "j");
    auto const offsets = record_offsets(clean);
    ASSERT_EQ(offsets.size(), block_count + 2);  // blocks, seal, end
    for (std::size_t at = offsets.front(); at < clean.size(); ++at) {
        SCOPED_TRACE("byte " + std::to_string(at));
        auto const damaged = flipped(clean, at);
        write_bytes(dir / "bad", damaged);
        std::uint64_t const record = record_holding(offsets, at);
        if (record == block_count) {  // the seal: a torn tail like any other, nothing lost
            auto const replay = read_section(dir / "bad", 0, test_fingerprint());
            EXPECT_EQ(replay.blocks.size(), block_count);
            EXPECT_EQ(replay.dropped_bytes, clean.size() - offsets[block_count]);
            continue;
        }
        try {
            (void)read_section(dir / "bad", 0, test_fingerprint());
            FAIL() << "damage in record " << record << " was not detected";
        } catch (JournalCorruptError const& e) {
            EXPECT_EQ(e.record(), record);
            EXPECT_EQ(e.offset(), offsets[record]);
            std::string const what = e.what();
            EXPECT_NE(what.find("journal '" + (dir / "bad").string() + "': record " + std::to_string(record) +
                                " at offset " + std::to_string(offsets[record])),
                      std::string::npos)
                << what;
            EXPECT_NE(what.find("not a torn write"), std::string::npos) << what;
        }
        // Opening for append refuses too, and leaves the file exactly as it was.
        EXPECT_THROW((void)open_journal(dir / "bad", 0, test_fingerprint()), JournalCorruptError);
        EXPECT_EQ(read_bytes(dir / "bad"), damaged);
    }
}

TEST(JournalCorruption, DamageAfterTheLastSyncIsATornTail) {
    ScratchDir dir;
    int syncs = 0;
    // Sync after every 2 records: records 0-1 and 2-3 are synced, 4-5 are not when the copy is taken.
    auto opened = open_journal(dir / "j", 0, test_fingerprint(), Durability{2, 1e9}, counting_hooks(&syncs));
    for (std::uint64_t k = 0; k < block_count; ++k) append(opened.writer, test_block(k));
    opened.writer.append_block(24, 1, {});       // record 6, written after the sync of 0-5
    auto const crashed = read_bytes(dir / "j");  // what a killed writer leaves
    auto const offsets = record_offsets(crashed);

    for (std::size_t at = offsets.front(); at < crashed.size(); ++at) {
        SCOPED_TRACE("byte " + std::to_string(at));
        write_bytes(dir / "bad", flipped(crashed, at));
        std::uint64_t const record = record_holding(offsets, at);
        if (record == 6) {
            auto const replay = read_section(dir / "bad", 0, test_fingerprint());
            ASSERT_EQ(replay.blocks.size(), block_count);
            for (std::uint64_t k = 0; k < block_count; ++k) expect_block_eq(replay.blocks[k], test_block(k));
            EXPECT_NE(replay.dropped_reason.find("record 6 at offset " + std::to_string(offsets[6])), std::string::npos)
                << replay.dropped_reason;
        } else {
            // Records 0-5 were synced before record 6 was written, and record 6 is intact.
            EXPECT_THROW((void)read_section(dir / "bad", 0, test_fingerprint()), JournalCorruptError);
        }
    }
}

TEST(JournalCorruption, UnsyncedRecordsAreATornTailWhereverTheDamageIs) {
    // Without any sync, a power cut may have written later pages and not earlier ones: the reader
    // cannot tell damage from that, so it keeps the intact prefix and the rest reruns.
    ScratchDir dir;
    int syncs = 0;
    auto opened = open_journal(dir / "j", 0, test_fingerprint(), Durability{1000, 1e9}, counting_hooks(&syncs));
    for (std::uint64_t k = 0; k < block_count; ++k) append(opened.writer, test_block(k));
    auto const crashed = read_bytes(dir / "j");
    auto const offsets = record_offsets(crashed);
    write_bytes(dir / "bad", flipped(crashed, offsets[2] + 40));
    auto const replay = read_section(dir / "bad", 0, test_fingerprint());
    ASSERT_EQ(replay.blocks.size(), 2u);
    EXPECT_EQ(replay.valid_bytes, offsets[2]);
}

TEST(JournalCorruption, ZeroFilledTailIsDropped) {
    // What some file systems show after a power cut: the size grew, the data never arrived.
    ScratchDir dir;
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint());
        for (std::uint64_t k = 0; k < 3; ++k) append(opened.writer, test_block(k));
    }
    auto bytes = read_bytes(dir / "j");
    std::size_t const clean_size = bytes.size();
    bytes.resize(bytes.size() + 4096, std::byte{0});
    write_bytes(dir / "j", bytes);
    auto opened = open_journal(dir / "j", 0, test_fingerprint());
    EXPECT_EQ(opened.replay.blocks.size(), 3u);
    EXPECT_EQ(opened.replay.dropped_bytes, 4096u);
    EXPECT_EQ(std::filesystem::file_size(dir / "j"), clean_size);
}

TEST(JournalCorruption, EveryDamagedHeaderByteIsRefused) {
    ScratchDir dir;
    { auto opened = open_journal(dir / "j", 0, test_fingerprint()); }
    auto const clean = read_bytes(dir / "j");
    auto const header_size = record_offsets(clean).front();
    for (std::size_t at = 0; at < header_size; ++at) {
        SCOPED_TRACE("byte " + std::to_string(at));
        write_bytes(dir / "bad", flipped(clean, at));
        try {
            (void)read_section(dir / "bad", 0, test_fingerprint());
            FAIL() << "a damaged header was accepted";
        } catch (NotAJournalError const& e) {
            EXPECT_LT(at, 12u) << "only the signature and version bytes make it not a journal: " << e.what();
        } catch (JournalCorruptError const& e) {
            EXPECT_GE(at, 12u) << e.what();
            EXPECT_EQ(e.offset(), 0u);
        }
    }
}

TEST(JournalCorruption, IntactRecordThatMakesNoSenseIsRefused) {
    // A record with a good checksum but tasks beyond the header's task count cannot come from a
    // crash; forge one by rewriting the header for fewer tasks.
    ScratchDir dir;
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint(100));
        opened.writer.append_block(90, 10, {});
    }
    auto bytes = read_bytes(dir / "j");
    auto const forged_header = encode_file_header(0, test_fingerprint(95));
    std::copy(forged_header.begin(), forged_header.end(), bytes.begin());
    write_bytes(dir / "j", bytes);
    try {
        (void)read_section(dir / "j", 0, test_fingerprint(95));
        FAIL() << "accepted a block outside the task count";
    } catch (JournalCorruptError const& e) {
        EXPECT_NE(std::string(e.what()).find("record 0 at offset " + std::to_string(forged_header.size()) +
                                             " covers tasks [90, 100) outside the 95 tasks of this call"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace taskfarm::journal
