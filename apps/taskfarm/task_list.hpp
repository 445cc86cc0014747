/// @file
/// @brief The tasks of a run, made on the root from a task file or from a template and a table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskfarm::cli {

/// One task and where it came from.
struct TaskSpec {
    std::uint64_t number = 0;  ///< 1-based, in file order; the joblog's Seq
    std::string command;       ///< empty when `error` is set
    std::string file;          ///< the task file or table it came from
    std::size_t line = 0;      ///< its line there
    std::string error;         ///< why the task cannot be made (it is reported failed, never run)

    /// "tasks.txt:7: task 6", for messages.
    [[nodiscard]] std::string where() const;
};

/// The tasks of a task file, one per command line.
/// @throws InputError when the file cannot be read.
[[nodiscard]] std::vector<TaskSpec> tasks_from_file(std::string const& path);

/// One task per row of the table at `path`, its command made by filling `command_template`.
/// The first row is a header when `header` is set or when the template names a field. A row that
/// lacks a field gives a task with `error` set; the other rows are unaffected.
/// @throws InputError when the table cannot be read or the template names a column the header lacks.
[[nodiscard]] std::vector<TaskSpec> tasks_from_template(std::string const& command_template, std::string const& path,
                                                        bool header);

}  // namespace taskfarm::cli
