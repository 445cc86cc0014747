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
    auto const o = parse_run_options({"--template",
                                      "sim {1}",
                                      "--header",
                                      "-j",
                                      "4",
                                      "--joblog",
                                      "log",
                                      "--resume-failed",
                                      "--retries",
                                      "2",
                                      "--timeout",
                                      "1.5",
                                      "--halt-on-error",
                                      "--output-dir",
                                      "out",
                                      "--tag",
                                      "--status-interval",
                                      "10",
                                      "--grace",
                                      "5",
                                      "--progress",
                                      "--part",
                                      "3/8",
                                      "--max-output",
                                      "2K",
                                      "--joblog-fsync",
                                      "params.tsv"});
    EXPECT_EQ(o.input, "params.tsv");
    EXPECT_EQ(o.command_template, "sim {1}");
    EXPECT_TRUE(o.header);
    EXPECT_EQ(o.threads, 4);
    EXPECT_EQ(o.joblog, "log");
    EXPECT_EQ(o.resume, ResumeMode::resume_failed);
    EXPECT_EQ(o.retries, 2u);
    EXPECT_DOUBLE_EQ(o.timeout, 1.5);
    EXPECT_EQ(o.halt.text(), "soon,fail=1");
    EXPECT_EQ(o.output_dir, "out");
    EXPECT_TRUE(o.tag);
    EXPECT_DOUBLE_EQ(o.status_interval, 10);
    EXPECT_DOUBLE_EQ(o.grace, 5);
    EXPECT_TRUE(o.progress);
    EXPECT_EQ(o.part.index, 3u);
    EXPECT_EQ(o.part.count, 8u);
    EXPECT_EQ(o.max_output, 2048u);
    EXPECT_TRUE(o.joblog_fsync);
}

TEST(RunOptions, DefaultsAreQuiet) {
    auto const o = parse_run_options({"tasks.txt"});
    EXPECT_EQ(o.input, "tasks.txt");
    EXPECT_FALSE(o.threads);
    EXPECT_EQ(o.resume, ResumeMode::none);
    EXPECT_DOUBLE_EQ(o.timeout, 0);
    EXPECT_DOUBLE_EQ(o.status_interval, 60);
    EXPECT_TRUE(o.part.whole());
    EXPECT_EQ(o.max_output, 64u << 20);
    EXPECT_FALSE(o.joblog_fsync);
}

TEST(RunOptions, PartKOfNTakesEveryNthTaskStartingAtK) {
    auto const part = parse_task_part("2/3");
    std::vector<std::uint64_t> taken;
    for (std::uint64_t task = 1; task <= 10; ++task)
        if (part.contains(task)) taken.push_back(task);
    EXPECT_EQ(taken, (std::vector<std::uint64_t>{2, 5, 8}));
    EXPECT_TRUE(parse_task_part("3/3").contains(3));  // part N takes N, 2N, ...
    EXPECT_TRUE(parse_task_part("3/3").contains(6));
    EXPECT_FALSE(parse_task_part("3/3").contains(1));
    EXPECT_TRUE(parse_task_part("1/1").whole());
    EXPECT_EQ(parse_task_part("2/3").text(), "2/3");
}

TEST(RunOptions, ByteSizesTakeBinarySuffixes) {
    EXPECT_EQ(parse_byte_size("0", "--max-output"), 0u);
    EXPECT_EQ(parse_byte_size("1000", "--max-output"), 1000u);
    EXPECT_EQ(parse_byte_size("3K", "--max-output"), 3072u);
    EXPECT_EQ(parse_byte_size("64M", "--max-output"), 64u << 20);
    EXPECT_EQ(parse_byte_size("2G", "--max-output"), 2ull << 30);
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
    expect_usage_error({"-j", "0", "t"}, "--threads wants a whole number from 1");
    expect_usage_error({"--timeout", "-1", "t"}, "--timeout wants seconds (e.g. 30 or 0.5), not '-1': negative");
    expect_usage_error({"--timeout", "nan", "t"}, "not 'nan': not a number");
    expect_usage_error({"--timeout", "inf", "t"}, "more than a year");
    expect_usage_error({"--grace", "1e400", "t"}, "more than a year");
    expect_usage_error({"--delay", "-0.5", "t"}, "--delay wants seconds");
    expect_usage_error({"--retries", "-1", "t"}, "--retries wants a whole number from 0 to 1000000, not '-1'");
    expect_usage_error({"--retries", "99999999999999999999", "t"}, "--retries wants a whole number");
    expect_usage_error({"-j", "4294967297", "t"}, "--threads wants a whole number");
    expect_usage_error({"--halt", "now,fail=x", "t"}, "--halt wants never");
    expect_usage_error({"--halt", "now,fail=1", "--halt-on-error", "t"}, "exclude each other");
    expect_usage_error({"--csv", "--tsv", "--template", "x", "t"}, "exclude each other");
    expect_usage_error({"--template", "x {}", "t", ":::", "a"}, "not both");
    expect_usage_error({"--retr", "2", "t"}, "retr");  // no guessing of option names
    expect_usage_error({"--timeout", "soon", "t"}, "timeout");
    expect_usage_error({"--frobnicate", "t"}, "frobnicate");
    expect_usage_error({"a", "b"}, "");
    expect_usage_error({"--header", "t"}, "--header needs --template");
    for (char const* part : {"0/3", "4/3", "3", "a/b", "1/", "/2", "1/0", "-1/3"})
        expect_usage_error({"--part", part, "t"},
                           std::string("--part wants K/N with 1 <= K <= N (e.g. --part 2/8), not '") + part + "'");
    for (char const* size : {"", "M", "12X", "1.5M", "-1", "99999999999G"})
        expect_usage_error({"--max-output", size, "t"}, std::string("--max-output wants a byte count"));
}

TEST(RunOptions, HaltIsNeverTakenForHaltOnError) {
    EXPECT_EQ(parse_run_options({"--halt", "now,fail=1", "t"}).halt.text(), "now,fail=1");
    EXPECT_EQ(parse_run_options({"--halt-on-error", "t"}).halt.text(), "soon,fail=1");
}

TEST(RunOptions, ArgumentListsAfterTripleColons) {
    auto const o = parse_run_options({"--template", "echo {1} {2}", "-k", ":::", "a", "b", ":::", "1", "--x"});
    EXPECT_EQ(o.arguments, (std::vector<std::vector<std::string>>{{"a", "b"}, {"1", "--x"}}));
    EXPECT_TRUE(o.keep_order);
    EXPECT_TRUE(o.input.empty());
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
