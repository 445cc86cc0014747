#include "tasks/parameter_table.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "input_error.hpp"
#include "tasks/task_file.hpp"

namespace taskfarm::cli {

char detect_delimiter(std::string const& line) {
    bool quoted = false;
    for (char const c : line) {
        if (c == '"') quoted = !quoted;  // "" inside quotes toggles twice: still quoted
        if (c == '\t' && !quoted) return '\t';
    }
    if (line.find(',') != std::string::npos) return ',';
    return '\t';
}

std::vector<std::string> split_on(std::string const& line, std::string const& separator) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
        auto const at = line.find(separator, start);
        fields.push_back(line.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) return fields;
        start = at + separator.size();
    }
}

std::vector<std::string> split_tsv_line(std::string const& line) { return split_on(line, "\t"); }

std::vector<std::string> split_csv_line(std::string const& line, std::string const& name, std::size_t line_number) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char const c = line[i];
        if (quoted) {
            if (c != '"') {
                field += c;
            } else if (i + 1 < line.size() && line[i + 1] == '"') {
                field += '"';
                ++i;
            } else {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else {
            field += c;
        }
    }
    if (quoted) throw InputError(located(name, line_number, "unterminated quoted field"));
    fields.push_back(std::move(field));
    return fields;
}

namespace {

/// A line without its trailing carriage return (files written on Windows).
std::string without_cr(std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

bool is_blank_or_comment(std::string const& line) {
    auto const first = line.find_first_not_of(" \t");
    return first == std::string::npos || line[first] == '#';
}

}  // namespace

ParameterTable parse_parameter_table(std::istream& in, std::string const& name, bool has_header,
                                     TableFormat const& format) {
    using Kind = TableFormat::Kind;
    ParameterTable table;
    bool delimiter_known = format.kind != Kind::detect;
    if (format.kind == Kind::csv) table.delimiter = ',';
    bool header_pending = has_header;
    std::string raw;
    std::size_t number = 0;
    while (std::getline(in, raw)) {
        ++number;
        std::string const line = without_cr(raw);
        if (is_blank_or_comment(line)) continue;
        if (!delimiter_known) {
            table.delimiter = detect_delimiter(line);
            delimiter_known = true;
        }
        auto fields = format.kind == Kind::separator ? split_on(line, format.separator)
                      : table.delimiter == ','       ? split_csv_line(line, name, number)
                                                     : split_tsv_line(line);
        if (header_pending) {
            for (auto& column : fields) table.header.push_back(trim_blanks(column));
            table.header_line = number;
            header_pending = false;
        } else {
            table.rows.push_back(TableRow{number, std::move(fields)});
        }
    }
    if (in.bad()) throw InputError(name + ": read error after line " + std::to_string(number));
    return table;
}

ParameterTable read_parameter_table(std::string const& path, bool has_header, TableFormat const& format) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": is a directory, not a file");
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
    return parse_parameter_table(in, path, has_header, format);
}

}  // namespace taskfarm::cli
