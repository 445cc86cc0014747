/// @file
/// @brief The error every reader of user input throws: the message already names the file and line.
#pragma once

#include <stdexcept>
#include <string>

namespace taskfarm::cli {

/// Bad user input (a task file, a parameter table, a joblog, an option). `what()` is the whole
/// message, e.g. "params.tsv:7: unterminated quote", ready to print after "taskfarm: ".
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// "file:line: message", the usual compiler-style location prefix.
[[nodiscard]] inline std::string located(std::string const& file, std::size_t line, std::string const& message) {
    return file + ":" + std::to_string(line) + ": " + message;
}

}  // namespace taskfarm::cli
