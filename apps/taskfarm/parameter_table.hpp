/// @file
/// @brief Reads a parameter table for `run --template`: one task per row, tab- or comma-separated,
/// optionally with a header row that names the columns.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace taskfarm::cli {

/// One data row and the line it came from (1-based), for error messages.
struct TableRow {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

struct ParameterTable {
    char delimiter = '\t';            ///< '\t' (TSV) or ',' (CSV)
    std::vector<std::string> header;  ///< column names, empty without a header row
    std::vector<TableRow> rows;       ///< data rows, blank lines and `#` comment lines skipped
};

/// The delimiter of a table whose first data line is `line`: a tab if it has one, else a comma if
/// it has one, else a tab (a single column). Tabs win because commas are common inside values.
[[nodiscard]] char detect_delimiter(std::string const& line);

/// Splits one CSV line (RFC 4180 quoting: `"a,b"` is one field and `""` inside quotes is a quote).
/// @throws InputError "name:line: unterminated quoted field" when a quote is not closed.
[[nodiscard]] std::vector<std::string> split_csv_line(std::string const& line, std::string const& name,
                                                      std::size_t line_number);

/// Splits one TSV line on tabs (no quoting, as in most TSV writers).
[[nodiscard]] std::vector<std::string> split_tsv_line(std::string const& line);

/// Parses a table; the first data line is the header when `has_header`.
[[nodiscard]] ParameterTable parse_parameter_table(std::istream& in, std::string const& name, bool has_header);

/// Reads `path` with parse_parameter_table.
/// @throws InputError when the file cannot be read or a line is malformed.
[[nodiscard]] ParameterTable read_parameter_table(std::string const& path, bool has_header);

}  // namespace taskfarm::cli
