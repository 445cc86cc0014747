/// @file
/// @brief Reads a task file: one shell command per non-empty line, `#` starts a comment line.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace taskfarm::cli {

/// One command of a task file, with the line it came from (1-based) for error messages.
struct TaskLine {
    std::size_t line = 0;
    std::string text;
};

/// The commands of `in`: every line that is not blank and whose first non-blank character is not
/// `#`. Trailing `\r` (files edited on Windows) and surrounding blanks are removed. `name` is only
/// used in messages.
[[nodiscard]] std::vector<TaskLine> parse_task_lines(std::istream& in, std::string const& name);

/// Reads `path` with parse_task_lines.
/// @throws InputError when the file cannot be opened or read.
[[nodiscard]] std::vector<TaskLine> read_task_file(std::string const& path);

/// `text` without leading and trailing spaces, tabs and carriage returns.
[[nodiscard]] std::string trim_blanks(std::string const& text);

}  // namespace taskfarm::cli
