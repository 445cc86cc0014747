/// @file
/// @brief The tasks of a run, made on the root from a task file or from a template and a table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tasks/parameter_table.hpp"

namespace taskfarm::cli {

/// The longest command the kernel passes to `/bin/sh -c` (MAX_ARG_STRLEN, 32 pages of 4 KiB, the
/// terminating NUL included): a longer one cannot even start.
inline constexpr std::size_t max_command_bytes = 131072 - 1;

/// One task and where it came from.
struct TaskSpec {
    /// The joblog's Seq, numbered as GNU parallel numbers jobs: the line number in a task file
    /// (comment and blank lines count, though they are not tasks), the line's number after the
    /// header in a table.
    std::uint64_t number = 0;
    std::string command;                      ///< empty when `error` is set
    std::vector<std::uint32_t> slot_offsets;  ///< where `{%}` goes in `command` (see CommandTemplate)
    std::string file;                         ///< the task file or table it came from
    std::size_t line = 0;                     ///< its line there
    std::string error;                        ///< why the task cannot be made (it is reported failed, never run)

    /// "tasks.txt:7: task 6", for messages.
    [[nodiscard]] std::string where() const;
};

/// The tasks of a task file, one per command line.
/// @throws InputError when the file cannot be read or a command is over max_command_bytes.
[[nodiscard]] std::vector<TaskSpec> tasks_from_file(std::string const& path);

/// One task per row of the table at `path`, its command made by filling `command_template`.
/// The first row is a header when `header` is set or when the template names a field. A row that
/// lacks a field gives a task with `error` set; the other rows are unaffected.
/// @throws InputError when the table cannot be read, the template names a column the header lacks
/// or has an unknown replacement string, or a command is over max_command_bytes.
[[nodiscard]] std::vector<TaskSpec> tasks_from_template(std::string const& command_template, std::string const& path,
                                                        bool header, TableFormat const& format = {});

/// One task per combination of `arguments` (GNU parallel's `::: a b ::: c d`: the first list
/// varies slowest), field N of a task being its value from list N; `{}` is all of them.
/// @throws InputError as tasks_from_template does.
[[nodiscard]] std::vector<TaskSpec> tasks_from_arguments(std::string const& command_template,
                                                         std::vector<std::vector<std::string>> const& arguments);

/// What the kernel would refuse: the command's size over max_command_bytes, or empty.
[[nodiscard]] std::string command_length_error(std::string const& command);

}  // namespace taskfarm::cli
