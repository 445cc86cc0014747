#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include "input_error.hpp"
#include "results/output_writer.hpp"
#include "test_support.hpp"

namespace taskfarm::cli {
namespace {

/// A console whose stdout and stderr are two files, read back by the test.
struct FileConsole {
    testing::TempDir dir;
    int out = ::open(dir.file("stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(dir.file("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    Console console{out, err, false};
    ~FileConsole() {
        ::close(out);
        ::close(err);
    }
    std::string stdout_text() const { return testing::read_text(dir.file("stdout")); }
    std::string stderr_text() const { return testing::read_text(dir.file("stderr")); }
};

TEST(TagLines, PrefixesEveryLineAndEndsTheLastOne) {
    EXPECT_EQ(tag_lines("a\nb\n", "7"), "7\ta\n7\tb\n");
    EXPECT_EQ(tag_lines("a\n\nno newline", "12"), "12\ta\n12\t\n12\tno newline\n");
    EXPECT_EQ(tag_lines("", "1"), "");
}

TEST(OutputWriter, WritesBlocksToTheRootsStreams) {
    FileConsole c;
    OutputWriter writer(c.console, "", false);
    writer.write(1, "one\n", "");
    writer.write(2, "two", "oops\n");
    EXPECT_EQ(c.stdout_text(), "one\ntwo");
    EXPECT_EQ(c.stderr_text(), "oops\n");
}

TEST(OutputWriter, TagsLinesWithTheTaskNumber) {
    FileConsole c;
    OutputWriter writer(c.console, "", true);
    writer.write(3, "x\ny\n", "warn");
    EXPECT_EQ(c.stdout_text(), "3\tx\n3\ty\n");
    EXPECT_EQ(c.stderr_text(), "3\twarn\n");
}

TEST(OutputWriter, WritesOneFilePairPerTaskInTheOutputDirectory) {
    FileConsole c;
    testing::TempDir dir;
    auto const out_dir = dir.file("out/nested");
    OutputWriter writer(c.console, out_dir, true);
    writer.write(4, "result\n", "");
    EXPECT_EQ(testing::read_text(out_dir + "/4.out"), "result\n");
    EXPECT_TRUE(std::filesystem::exists(out_dir + "/4.err"));
    EXPECT_EQ(testing::read_text(out_dir + "/4.err"), "");
    EXPECT_EQ(writer.path_of(4, ".out"), out_dir + "/4.out");
    EXPECT_EQ(c.stdout_text(), "");
}

TEST(OutputWriter, SyncingWriterWritesTheSameFiles) {
    FileConsole c;
    testing::TempDir dir;
    OutputWriter writer(c.console, dir.path(), false, true);
    writer.write(9, "result\n", "warning\n");
    EXPECT_EQ(testing::read_text(dir.file("9.out")), "result\n");
    EXPECT_EQ(testing::read_text(dir.file("9.err")), "warning\n");
}

TEST(OutputWriter, OutputDirThatIsAFileIsAnInputError) {
    FileConsole c;
    testing::TempDir dir;
    testing::write_text(dir.file("file"), "x");
    EXPECT_THROW(OutputWriter(c.console, dir.file("file"), false), InputError);
}

TEST(Console, LiveLineIsClearedAroundBlocksAndRedrawn) {
    testing::TempDir dir;
    int const fd = ::open(dir.file("tty").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    {
        Console console(fd, fd, true);
        console.set_live_line("1/2 done");
        console.write_out("block\n");
        console.clear_live_line();
    }
    ::close(fd);
    EXPECT_EQ(testing::read_text(dir.file("tty")), "1/2 done\r\033[Kblock\n1/2 done\r\033[K");
}

}  // namespace
}  // namespace taskfarm::cli
