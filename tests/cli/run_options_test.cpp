#include <gtest/gtest.h>

#include "run_options.hpp"

namespace taskfarm::cli {
namespace {

using Args = std::vector<std::string>;

TEST(TopLevel, SplitsTheCommandFromItsArguments) {
    auto const t = parse_top_level({"run", "--help", "tasks.txt"});
    EXPECT_FALSE(t.help);
    EXPECT_EQ(t.command, "run");
    EXPECT_EQ(t.args, (Args{"--help", "tasks.txt"}));
    EXPECT_TRUE(parse_top_level({"--help"}).help);
    EXPECT_TRUE(parse_top_level({}).command.empty());
}

TEST(TopLevel, UnknownCommandsAndOptionsAreUsageErrors) {
    EXPECT_THROW((void)parse_top_level({"frobnicate"}), UsageError);
    EXPECT_THROW((void)parse_top_level({"--bogus", "run"}), UsageError);
    EXPECT_EQ(parse_top_level({"report", "trace"}).command, "report");
}

TEST(RunOptions, ParsesEveryOption) {
    auto const o = parse_run_options({"--template", "sim {1}", "--header", "-j", "4", "--joblog", "log", "--resume-failed",
                                      "--retries", "2", "--timeout", "1.5", "--halt-on-error", "--output-dir", "out",
                                      "--tag", "--status-interval", "10", "--grace", "5", "--progress", "params.tsv"});
    EXPECT_EQ(o.input, "params.tsv");
    EXPECT_EQ(o.command_template, "sim {1}");
    EXPECT_TRUE(o.header);
    EXPECT_EQ(o.threads, 4);
    EXPECT_EQ(o.joblog, "log");
    EXPECT_EQ(o.resume, ResumeMode::resume_failed);
    EXPECT_EQ(o.retries, 2u);
    EXPECT_DOUBLE_EQ(o.timeout, 1.5);
    EXPECT_TRUE(o.halt_on_error);
    EXPECT_EQ(o.output_dir, "out");
    EXPECT_TRUE(o.tag);
    EXPECT_DOUBLE_EQ(o.status_interval, 10);
    EXPECT_DOUBLE_EQ(o.grace, 5);
    EXPECT_TRUE(o.progress);
}

TEST(RunOptions, DefaultsAreQuiet) {
    auto const o = parse_run_options({"tasks.txt"});
    EXPECT_EQ(o.input, "tasks.txt");
    EXPECT_FALSE(o.threads);
    EXPECT_EQ(o.resume, ResumeMode::none);
    EXPECT_DOUBLE_EQ(o.timeout, 0);
    EXPECT_DOUBLE_EQ(o.status_interval, 60);
}

TEST(RunOptions, HelpNeedsNoTaskFile) {
    EXPECT_TRUE(parse_run_options({"--help"}).help);
    EXPECT_NE(run_help().find("--resume-failed"), std::string::npos);
    EXPECT_NE(run_help().find("102 interrupted"), std::string::npos);
}

void expect_usage_error(Args const& args, std::string const& message) {
    try {
        (void)parse_run_options(args);
        ADD_FAILURE() << "no error for " << ::testing::PrintToString(args);
    } catch (UsageError const& e) {
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
}

TEST(RunOptions, ContradictionsAndBadValuesAreUsageErrors) {
    expect_usage_error({}, "missing the task file");
    expect_usage_error({"--template", "x {1}"}, "missing the parameter table");
    expect_usage_error({"--resume", "t"}, "need --joblog");
    expect_usage_error({"--joblog", "l", "--resume", "--resume-failed", "t"}, "exclude each other");
    expect_usage_error({"-j", "0", "t"}, "--threads must be at least 1");
    expect_usage_error({"--timeout", "-1", "t"}, "--timeout must not be negative");
    expect_usage_error({"--timeout", "soon", "t"}, "timeout");
    expect_usage_error({"--frobnicate", "t"}, "frobnicate");
    expect_usage_error({"a", "b"}, "");
    expect_usage_error({"--header", "t"}, "--header needs --template");
}

TEST(Threads, FlagThenSlurmThenOne) {
    EXPECT_EQ(resolve_threads(3, "8"), 3);
    EXPECT_EQ(resolve_threads(std::nullopt, "8"), 8);
    EXPECT_EQ(resolve_threads(std::nullopt, nullptr), 1);
    EXPECT_EQ(resolve_threads(std::nullopt, ""), 1);
    EXPECT_THROW((void)resolve_threads(std::nullopt, "8(x2)"), UsageError);
}

}  // namespace
}  // namespace taskfarm::cli
