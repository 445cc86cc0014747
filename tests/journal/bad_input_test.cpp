// Paths that cannot hold a journal, files that are not one, and a second writer: each is a clear
// error naming the file, and nothing that exists is changed.
#include <gtest/gtest.h>

#include <unistd.h>

#include "journal/journal_error.hpp"
#include "journal_test_support.hpp"

namespace taskfarm::journal {
namespace {
using namespace testing;

template <class Error, class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (Error const& e) {
        return e.what();
    }
    ADD_FAILURE() << "no " << typeid(Error).name() << " was thrown";
    return {};
}

std::vector<std::byte> text_bytes(std::string const& s) {
    std::vector<std::byte> out;
    for (char c : s) out.push_back(static_cast<std::byte>(c));
    return out;
}

TEST(JournalBadInput, AFileThatIsNotAJournalIsLeftAlone) {
    ScratchDir dir;
    auto const content = text_bytes("x,y\n1,2\n3,4\n");
    write_bytes(dir / "results.csv", content);
    std::string const prefix = "journal '" + (dir / "results.csv").string() + "': ";
    EXPECT_EQ(error_of<NotAJournalError>([&] { (void)open_journal(dir / "results.csv", 0, test_fingerprint()); }),
              prefix + "does not start with the signature TFJOURNL: not a taskfarm journal");
    EXPECT_EQ(error_of<NotAJournalError>([&] { (void)read_section(dir / "results.csv", 0, test_fingerprint()); }),
              prefix + "does not start with the signature TFJOURNL: not a taskfarm journal");
    EXPECT_EQ(read_bytes(dir / "results.csv"), content);
}

TEST(JournalBadInput, AnEmptyFileIsNotAJournal) {
    ScratchDir dir;
    write_bytes(dir / "empty", {});
    EXPECT_EQ(error_of<NotAJournalError>([&] { (void)open_journal(dir / "empty", 0, test_fingerprint()); }),
              "journal '" + (dir / "empty").string() + "': is empty, not a taskfarm journal");
    EXPECT_EQ(std::filesystem::file_size(dir / "empty"), 0u);
}

TEST(JournalBadInput, ADirectoryIsNotAJournal) {
    ScratchDir dir;
    std::filesystem::create_directory(dir / "d");
    EXPECT_EQ(error_of<JournalError>([&] { (void)open_journal(dir / "d", 0, test_fingerprint()); }),
              "journal '" + (dir / "d").string() + "': cannot open for writing: Is a directory");
    EXPECT_EQ(error_of<NotAJournalError>([&] { (void)read_section(dir / "d", 0, test_fingerprint()); }),
              "journal '" + (dir / "d").string() + "': is not a regular file, so not a taskfarm journal");
}

TEST(JournalBadInput, MissingDirectoryIsNamed) {
    ScratchDir dir;
    auto const path = dir / "no-such-dir" / "j";
    std::string const what = error_of<JournalError>([&] { (void)open_journal(path, 0, test_fingerprint()); });
    EXPECT_EQ(what.rfind("journal '" + path.string() + "': cannot create it (j.creating.", 0), 0u) << what;
    EXPECT_NE(what.find(" in " + (dir / "no-such-dir").string() + "): No such file or directory"), std::string::npos)
        << what;
}

TEST(JournalBadInput, ParentThatIsAFileIsNamed) {
    ScratchDir dir;
    write_bytes(dir / "plain", text_bytes("x"));
    EXPECT_EQ(error_of<JournalError>([&] { (void)open_journal(dir / "plain" / "j", 0, test_fingerprint()); }),
              "journal '" + (dir / "plain" / "j").string() + "': cannot open for writing: Not a directory");
    EXPECT_EQ(read_bytes(dir / "plain"), text_bytes("x"));
}

TEST(JournalBadInput, UnwritableDirectoryIsNamed) {
    if (::geteuid() == 0) GTEST_SKIP() << "root writes anywhere; the missing and not-a-directory cases cover this path";
    ScratchDir dir;
    std::filesystem::create_directory(dir / "ro");
    std::filesystem::permissions(dir / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    std::string const what = error_of<JournalError>(
        [&] { (void)open_journal(dir / "ro" / "j", 0, test_fingerprint()); });
    EXPECT_NE(what.find("): Permission denied"), std::string::npos) << what;
}

TEST(JournalBadInput, MissingJournalCannotBeRead) {
    ScratchDir dir;
    EXPECT_EQ(error_of<JournalError>([&] { (void)read_section(dir / "j", 0, test_fingerprint()); }),
              "journal '" + (dir / "j").string() + "': cannot open for reading: No such file or directory");
}

TEST(JournalBadInput, SecondWriterIsRefusedWhileTheFirstHoldsIt) {
    ScratchDir dir;
    auto first = open_journal(dir / "j", 0, test_fingerprint());
    append(first.writer, test_block(0));
    EXPECT_EQ(error_of<JournalError>([&] { (void)open_journal(dir / "j", 0, test_fingerprint()); }),
              "journal '" + (dir / "j").string() +
                  "': is in use by another process (it holds the lock); two runs must not share a journal");
    append(first.writer, test_block(1));
    first.writer.close();
    auto second = open_journal(dir / "j", 0, test_fingerprint());  // free again
    EXPECT_EQ(second.replay.blocks.size(), 2u);
}

TEST(JournalBadInput, NoCreationLeftoversAfterSuccessOrFailure) {
    ScratchDir dir;
    { auto opened = open_journal(dir / "j", 0, test_fingerprint()); }
    std::vector<std::string> names;
    for (auto const& entry : std::filesystem::directory_iterator(dir.path())) names.push_back(entry.path().filename());
    EXPECT_EQ(names, std::vector<std::string>{"j"});
}

}  // namespace
}  // namespace taskfarm::journal
