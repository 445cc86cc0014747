#include <gtest/gtest.h>

#include <sstream>

#include "input_error.hpp"
#include "tasks/parameter_table.hpp"

namespace taskfarm::cli {
namespace {

using Fields = std::vector<std::string>;

TEST(ParameterTable, DetectsTabsBeforeCommas) {
    EXPECT_EQ(detect_delimiter("a,b\tc"), '\t');
    EXPECT_EQ(detect_delimiter("a,b"), ',');
    EXPECT_EQ(detect_delimiter("single"), '\t');
}

TEST(ParameterTable, AQuotedTabDoesNotMakeACsvTsv) {
    EXPECT_EQ(detect_delimiter("\"a\tb\",c"), ',');
    EXPECT_EQ(detect_delimiter("\"a\"\tb"), '\t');
}

TEST(ParameterTable, TsvSplitsOnEveryTabKeepingEmptyFields) {
    EXPECT_EQ(split_tsv_line("a\t\tb c\t"), (Fields{"a", "", "b c", ""}));
}

TEST(ParameterTable, CsvHonoursQuotes) {
    EXPECT_EQ(split_csv_line(R"(1,"a, b","say ""hi""",)", "p.csv", 1), (Fields{"1", "a, b", "say \"hi\"", ""}));
}

TEST(ParameterTable, UnterminatedQuoteNamesFileAndLine) {
    try {
        (void)split_csv_line(R"(1,"open)", "p.csv", 7);
        FAIL() << "no error";
    } catch (InputError const& e) {
        EXPECT_STREQ(e.what(), "p.csv:7: unterminated quoted field");
    }
}

TEST(ParameterTable, HeaderRowNamesColumnsAndRowsKeepTheirLines) {
    std::istringstream in("# comment\nbeta , seed\r\n\n0.1,1\n0.2,2\n");
    auto const table = parse_parameter_table(in, "p.csv", true);
    EXPECT_EQ(table.delimiter, ',');
    EXPECT_EQ(table.header, (Fields{"beta", "seed"}));
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(table.rows[0].line, 4u);
    EXPECT_EQ(table.rows[0].fields, (Fields{"0.1", "1"}));
    EXPECT_EQ(table.rows[1].line, 5u);
}

TEST(ParameterTable, WithoutHeaderTheFirstRowIsData) {
    std::istringstream in("1\t2\n3\t4\n");
    auto const table = parse_parameter_table(in, "p.tsv", false);
    EXPECT_TRUE(table.header.empty());
    EXPECT_EQ(table.rows.size(), 2u);
}

TEST(ParameterTable, MissingFileIsAnInputError) {
    EXPECT_THROW((void)read_parameter_table("/nonexistent/p.tsv", false), InputError);
}

}  // namespace
}  // namespace taskfarm::cli
