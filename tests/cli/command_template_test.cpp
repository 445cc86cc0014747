#include <gtest/gtest.h>

#include "command_template.hpp"
#include "input_error.hpp"
#include "process_runner.hpp"
#include "shell_quote.hpp"

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
    for (std::string const value : {"plain", "two words", "it's", "$(rm -rf /)", "a\"b", "tab\there", "*", "", "back\\slash"}) {
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
    CommandTemplate const t("echo ${HOME} {} {a,b} {0} {1}");
    EXPECT_TRUE(t.named_fields().empty());
    auto const e = t.expand({"v"}, {}, 1);
    ASSERT_TRUE(e.ok()) << e.error;
    EXPECT_EQ(e.command, "echo ${HOME} {} {a,b} {0} v");
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
