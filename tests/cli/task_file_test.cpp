#include <gtest/gtest.h>

#include <sstream>

#include "input_error.hpp"
#include "tasks/task_file.hpp"
#include "tasks/task_list.hpp"
#include "test_support.hpp"

namespace taskfarm::cli {
namespace {

TEST(TaskFile, KeepsCommandsAndTheirLineNumbersSkippingBlanksAndComments) {
    std::istringstream in("echo one\n\n   \n# a comment\n  # indented comment\necho two  \r\n\techo three\n");
    auto const lines = parse_task_lines(in, "tasks.txt");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].line, 1u);
    EXPECT_EQ(lines[0].text, "echo one");
    EXPECT_EQ(lines[1].line, 6u);
    EXPECT_EQ(lines[1].text, "echo two");
    EXPECT_EQ(lines[2].line, 7u);
    EXPECT_EQ(lines[2].text, "echo three");
}

TEST(TaskFile, KeepsAHashThatIsNotAtTheStart) {
    std::istringstream in("echo a # not a comment\n");
    auto const lines = parse_task_lines(in, "t");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "echo a # not a comment");
}

TEST(TaskFile, LastLineWithoutNewlineCounts) {
    std::istringstream in("a\nb");
    EXPECT_EQ(parse_task_lines(in, "t").size(), 2u);
}

TEST(TaskFile, MissingFileIsAnInputErrorNamingIt) {
    try {
        (void)read_task_file("/nonexistent/tasks.txt");
        FAIL() << "no error";
    } catch (InputError const& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/tasks.txt: cannot open"), std::string::npos) << e.what();
    }
}

TEST(TaskFile, DirectoryIsAnInputError) {
    testing::TempDir dir;
    EXPECT_THROW((void)read_task_file(dir.path()), InputError);
}

TEST(TaskList, NumbersTasksByLineAsGnuParallelNumbersJobs) {
    testing::TempDir dir;
    testing::write_text(dir.file("tasks.txt"), "# header\necho a\n\necho b\n");
    auto const tasks = tasks_from_file(dir.file("tasks.txt"));
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_EQ(tasks[0].number, 2u);  // GNU parallel runs the comment and the blank line as jobs 1 and 3
    EXPECT_EQ(tasks[1].number, 4u);
    EXPECT_EQ(tasks[1].command, "echo b");
    EXPECT_EQ(tasks[1].where(), dir.file("tasks.txt") + ":4: task 4");
}

TEST(TaskList, ACommandOverTheKernelsArgumentLimitIsRefusedUpFront) {
    testing::TempDir dir;
    testing::write_text(dir.file("tasks.txt"), "echo a\necho " + std::string(131072, 'x') + "\n");
    try {
        (void)tasks_from_file(dir.file("tasks.txt"));
        ADD_FAILURE() << "accepted";
    } catch (InputError const& e) {
        EXPECT_NE(std::string(e.what()).find(":2: task 2: the command is 131077 bytes, over the kernel's limit of "
                                             "131071 bytes for one argument (MAX_ARG_STRLEN"),
                  std::string::npos)
            << e.what();
    }
}

TEST(TaskList, TemplateRowsBecomeQuotedCommands) {
    testing::TempDir dir;
    testing::write_text(dir.file("p.tsv"), "beta\tseed\n0.5\t1\nhello world\t2\n");
    auto const tasks = tasks_from_template("sim --beta {beta} --seed {2} --n {#}", dir.file("p.tsv"), false);
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_EQ(tasks[0].command, "sim --beta 0.5 --seed 1 --n 1");
    EXPECT_EQ(tasks[1].command, "sim --beta 'hello world' --seed 2 --n 2");
    EXPECT_EQ(tasks[1].line, 3u);
}

TEST(TaskList, RowLackingAFieldGivesAnInvalidTaskAndLeavesTheOthers) {
    testing::TempDir dir;
    testing::write_text(dir.file("p.csv"), "1,2\n3\n4,5\n");
    auto const tasks = tasks_from_template("echo {1} {2}", dir.file("p.csv"), false);
    ASSERT_EQ(tasks.size(), 3u);
    EXPECT_EQ(tasks[0].command, "echo 1 2");
    EXPECT_TRUE(tasks[0].error.empty());
    EXPECT_EQ(tasks[1].error, "template field {2} is missing: the row has 1 field");
    EXPECT_EQ(tasks[1].where(), dir.file("p.csv") + ":2: task 2");
    EXPECT_EQ(tasks[2].command, "echo 4 5");
}

TEST(TaskList, UnknownHeaderNameIsAnInputErrorListingTheColumns) {
    testing::TempDir dir;
    testing::write_text(dir.file("p.tsv"), "beta\tseed\n1\t2\n");
    try {
        (void)tasks_from_template("sim {gamma}", dir.file("p.tsv"), false);
        FAIL() << "no error";
    } catch (InputError const& e) {
        EXPECT_EQ(std::string(e.what()),
                  dir.file("p.tsv") + ": template field {gamma} is not a column of the header (columns: beta, seed)");
    }
}

}  // namespace
}  // namespace taskfarm::cli
