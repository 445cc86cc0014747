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

/// How rows are split into fields: detected from the first row, or what --csv, --tsv or
/// --colsep says.
struct TableFormat {
    enum class Kind { detect, csv, tsv, separator } kind = Kind::detect;
    std::string separator;  ///< with Kind::separator: the literal string between fields (--colsep)
};

struct ParameterTable {
    char delimiter = '\t';            ///< '\t' (TSV) or ',' (CSV); unused with a --colsep separator
    std::vector<std::string> header;  ///< column names, empty without a header row
    std::size_t header_line = 0;      ///< the header's line (0: none); row N after it is task N
    std::vector<TableRow> rows;       ///< data rows, blank lines and `#` comment lines skipped
};

/// The delimiter of a table whose first data line is `line`: a tab if it has one outside double
/// quotes, else a comma if it has one, else a tab (a single column). Tabs win because commas are
/// common inside values; a tab inside a CSV's quoted field does not make the table TSV.
[[nodiscard]] char detect_delimiter(std::string const& line);

/// Splits `line` on every occurrence of `separator` (no quoting).
[[nodiscard]] std::vector<std::string> split_on(std::string const& line, std::string const& separator);

/// Splits one CSV line (RFC 4180 quoting: `"a,b"` is one field and `""` inside quotes is a quote).
/// @throws InputError "name:line: unterminated quoted field" when a quote is not closed.
[[nodiscard]] std::vector<std::string> split_csv_line(std::string const& line, std::string const& name,
                                                      std::size_t line_number);

/// Splits one TSV line on tabs (no quoting, as in most TSV writers).
[[nodiscard]] std::vector<std::string> split_tsv_line(std::string const& line);

/// Parses a table; the first data line is the header when `has_header`.
[[nodiscard]] ParameterTable parse_parameter_table(std::istream& in, std::string const& name, bool has_header,
                                                   TableFormat const& format = {});

/// Reads `path` with parse_parameter_table.
/// @throws InputError when the file cannot be read or a line is malformed.
[[nodiscard]] ParameterTable read_parameter_table(std::string const& path, bool has_header,
                                                  TableFormat const& format = {});

}  // namespace taskfarm::cli
