#include <gtest/gtest.h>

#include "input_error.hpp"
#include "run/process_runner.hpp"
#include "tasks/command_template.hpp"
#include "tasks/shell_quote.hpp"

namespace taskfarm::cli {
namespace {

using Fields = std::vector<std::string>;

TEST(ShellQuote, LeavesSafeWordsAndQuotesTheRest) {
    EXPECT_EQ(shell_quote("0.5"), "0.5");
    EXPECT_EQ(shell_quote("a/b-c_d.e:f=g+h,i@j%k"), "a/b-c_d.e:f=g+h,i@j%k");
    EXPECT_EQ(shell_quote(""), "''");
    EXPECT_EQ(shell_quote("a b"), "'a b'");
    EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
}

TEST(ShellQuote, TheShellReadsBackExactlyTheValue) {
    for (std::string const value :
         {"plain", "two words", "it's", "$(rm -rf /)", "a\"b", "tab\there", "*", "", "back\\slash"}) {
        auto const r = run_process("printf '%s|' " + shell_quote(value), {});
        EXPECT_EQ(r.out, value + "|") << "value: " << value;
    }
}

TEST(CommandTemplate, FillsPositionsNumberAndNames) {
    CommandTemplate const t("run {2} {1} --n {#} --beta {beta}");
    EXPECT_EQ(t.highest_position(), 2u);
    EXPECT_EQ(t.named_fields(), (Fields{"beta"}));
    auto const e = t.expand({"x y", "b", "0.5"}, {"first", "second", "beta"}, 7);
    ASSERT_TRUE(e.ok()) << e.error;
    EXPECT_EQ(e.command, "run b 'x y' --n 7 --beta 0.5");
}

TEST(CommandTemplate, ShellBracesAndDollarBracesStayAsWritten) {
    CommandTemplate const t("echo ${HOME} {a,b} awk '{print $1}' {1}");
    EXPECT_TRUE(t.named_fields().empty());
    auto const e = t.expand({"v"}, {}, 1);
    ASSERT_TRUE(e.ok()) << e.error;
    EXPECT_EQ(e.command, "echo ${HOME} {a,b} awk '{print $1}' v");
}

TEST(CommandTemplate, GnuParallelsReplacementStrings) {
    CommandTemplate const t("x {} {.} {/} {//} {/.} {#} {##}");
    auto const e = t.expand({"a/b.c/d.e.tar"}, {}, 3, 9);
    EXPECT_EQ(e.command, "x a/b.c/d.e.tar a/b.c/d.e d.e.tar a/b.c d.e 3 9");
    CommandTemplate const columns("x {} | {.} | {1.} {2/} {2//} {2/.}");
    EXPECT_EQ(columns.expand({"a b.x", "c/d.y"}, {}, 1).command, "x 'a b.x' c/d.y | 'a b' c/d | 'a b' d.y c d");
    CommandTemplate const named("x {name/.} {name//}");
    EXPECT_EQ(named.expand({"dir/f.txt"}, {"name"}, 1).command, "x f dir");
}

TEST(CommandTemplate, PathPartsMatchGnuParallel) {
    // Each row: value, {.}, {/}, {//}, {/.} as GNU parallel 20221122 prints them.
    struct Row {
        char const* value;
        char const* dot;
        char const* base;
        char const* dir;
        char const* base_dot;
    };
    for (Row const r : {Row{".bashrc", "", ".bashrc", ".", ""}, Row{"a.b/c", "a.b/c", "c", "a.b", "c"},
                        Row{"/x.y/", "/x.y/", "", "/", ""}, Row{"a/", "a/", "", ".", ""}, Row{"/", "/", "", "/", ""},
                        Row{"dir/.hidden.tar", "dir/.hidden", ".hidden.tar", "dir", ".hidden"},
                        Row{"", "", "", ".", ""}, Row{"x//y", "x//y", "y", "x", "y"}}) {
        EXPECT_EQ(path_part(r.value, PathPart::no_extension), r.dot) << r.value;
        EXPECT_EQ(path_part(r.value, PathPart::basename), r.base) << r.value;
        EXPECT_EQ(path_part(r.value, PathPart::dirname), r.dir) << r.value;
        EXPECT_EQ(path_part(r.value, PathPart::basename_no_extension), r.base_dot) << r.value;
    }
}

TEST(CommandTemplate, TheSlotIsFilledInWhereTheTaskRuns) {
    CommandTemplate const t("run {%} on {1} slot {%}");
    EXPECT_TRUE(t.uses_slot());
    auto const e = t.expand({"v"}, {}, 1);
    EXPECT_EQ(with_slot(e.command, e.slot_offsets, "7"), "run 7 on v slot 7");
}

TEST(CommandTemplate, UnknownReplacementStringsAreErrorsNamingThem) {
    for (char const* text :
         {"echo {0}", "echo {1x}", "echo {-1}", "echo {+/}", "echo {..}", "echo {=s/a/b/=}", "{a.b}"}) {
        try {
            CommandTemplate const t(text);
            ADD_FAILURE() << "accepted " << text;
        } catch (InputError const& e) {
            std::string const inside = std::string(text).substr(std::string(text).find('{'));
            EXPECT_NE(
                std::string(e.what()).find("unknown replacement string " + inside.substr(0, inside.find('}') + 1)),
                std::string::npos)
                << e.what();
        }
    }
}

TEST(CommandTemplate, MissingPositionIsReportedNotExpanded) {
    auto const e = CommandTemplate("echo {1} {3}").expand({"a", "b"}, {}, 1);
    EXPECT_FALSE(e.ok());
    EXPECT_EQ(e.error, "template field {3} is missing: the row has 2 fields");
    EXPECT_TRUE(e.command.empty());
}

TEST(CommandTemplate, NamedFieldBeyondTheRowIsMissing) {
    auto const e = CommandTemplate("echo {seed}").expand({"1"}, {"beta", "seed"}, 1);
    EXPECT_EQ(e.error, "template field {seed} is missing: the row has 1 field");
}

TEST(CommandTemplate, CheckNamesRejectsUnknownColumns) {
    CommandTemplate const t("echo {beta} {gamma}");
    EXPECT_NO_THROW(t.check_names({"gamma", "beta"}));
    EXPECT_THROW(t.check_names({"beta"}), InputError);
}

}  // namespace
}  // namespace taskfarm::cli
