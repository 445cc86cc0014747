// Several farm calls in one program: each has its own file (path, path.1, path.2, ...), its own
// fingerprint, and damage to one never reaches another.
#include <gtest/gtest.h>

#include "journal/journal_error.hpp"
#include "journal_test_support.hpp"

namespace taskfarm::journal {
namespace {
using namespace testing;

Fingerprint call_fingerprint(std::uint32_t call) {
    Fingerprint f = test_fingerprint(40 + call);
    f.call_kind = call == 1 ? "map_reduce" : "map";
    return f;
}

TEST(JournalSections, FileNames) {
    EXPECT_EQ(section_path("runs/sweep.journal", 0), std::filesystem::path("runs/sweep.journal"));
    EXPECT_EQ(section_path("runs/sweep.journal", 1), std::filesystem::path("runs/sweep.journal.1"));
    EXPECT_EQ(section_path("runs/sweep.journal", 12), std::filesystem::path("runs/sweep.journal.12"));
}

TEST(JournalSections, EachCallReadsItsOwnSection) {
    ScratchDir dir;
    for (std::uint32_t call = 0; call < 3; ++call) {
        auto opened = open_journal(dir / "sweep", call, call_fingerprint(call));
        for (std::uint64_t k = 0; k <= call; ++k) append(opened.writer, test_block(k + call));
    }
    EXPECT_TRUE(std::filesystem::exists(dir / "sweep.1"));
    EXPECT_TRUE(std::filesystem::exists(dir / "sweep.2"));
    for (std::uint32_t call = 0; call < 3; ++call) {
        SCOPED_TRACE(call);
        auto const replay = read_section(dir / "sweep", call, call_fingerprint(call));
        ASSERT_EQ(replay.blocks.size(), call + 1u);
        for (std::uint64_t k = 0; k <= call; ++k) expect_block_eq(replay.blocks[k], test_block(k + call));
    }
}

TEST(JournalSections, AProgramThatResumesAtItsSecondCall) {
    // Run 1 finished call 0 and was killed during call 1; run 2 finds call 0 complete and call 1 partial.
    ScratchDir dir;
    {
        auto call0 = open_journal(dir / "sweep", 0, call_fingerprint(0));
        for (std::uint64_t k = 0; k < 10; ++k) call0.writer.append_block(4 * k, 4, {});
        call0.writer.close();
        auto call1 = open_journal(dir / "sweep", 1, call_fingerprint(1));
        call1.writer.append_block(0, 20, {});
    }
    EXPECT_TRUE(read_section(dir / "sweep", 0, call_fingerprint(0)).pending().empty());
    EXPECT_EQ(read_section(dir / "sweep", 1, call_fingerprint(1)).pending(), (std::vector<TaskRange>{{20, 21}}));
    EXPECT_THROW((void)read_section(dir / "sweep", 2, call_fingerprint(2)), JournalError);  // not started
}

TEST(JournalSections, ARenamedSectionFileIsRefused) {
    ScratchDir dir;
    { auto opened = open_journal(dir / "sweep", 1, call_fingerprint(1)); }
    std::filesystem::rename(dir / "sweep.1", dir / "sweep.2");
    try {
        (void)read_section(dir / "sweep", 2, call_fingerprint(1));
        FAIL();
    } catch (JournalMismatchError const& e) {
        EXPECT_EQ(std::string(e.what()), "journal '" + (dir / "sweep.2").string() +
                                             "': holds section 1, not section 2 (was the file renamed?)");
    }
}

TEST(JournalSections, DamageInOneSectionLeavesTheOthers) {
    ScratchDir dir;
    for (std::uint32_t call = 0; call < 2; ++call) {
        auto opened = open_journal(dir / "sweep", call, call_fingerprint(call));
        for (std::uint64_t k = 0; k < 3; ++k) append(opened.writer, test_block(k));
    }
    auto bytes = read_bytes(dir / "sweep.1");
    bytes[record_offsets(bytes)[1] + 35] ^= std::byte{1};
    write_bytes(dir / "sweep.1", bytes);
    EXPECT_THROW((void)read_section(dir / "sweep", 1, call_fingerprint(1)), JournalCorruptError);
    EXPECT_EQ(read_section(dir / "sweep", 0, call_fingerprint(0)).blocks.size(), 3u);
}

}  // namespace
}  // namespace taskfarm::journal
