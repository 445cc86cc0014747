#include "tasks/task_list.hpp"

#include "input_error.hpp"
#include "tasks/command_template.hpp"
#include "tasks/parameter_table.hpp"
#include "tasks/task_file.hpp"

namespace taskfarm::cli {

std::string TaskSpec::where() const { return located(file, line, "task " + std::to_string(number)); }

std::string command_length_error(std::string const& command) {
    if (command.size() <= max_command_bytes) return {};
    return "the command is " + std::to_string(command.size()) + " bytes, over the kernel's limit of " +
           std::to_string(max_command_bytes) + " bytes for one argument (MAX_ARG_STRLEN, 128 KiB with its NUL), " +
           "so /bin/sh -c could not be started with it; put the long part in a file or a script";
}

namespace {

/// Refuses the whole run when a command could never start: better up front than as a
/// puzzling "cannot execute /bin/sh" on every such task after hours of others.
void check_length(TaskSpec const& task) {
    if (std::string const error = command_length_error(task.command); !error.empty())
        throw InputError(task.where() + ": " + error);
}

/// A task of a table row or an argument combination, from its template's expansion.
TaskSpec make_task(std::size_t number, std::string const& file, std::size_t line,
                   CommandTemplate::Expansion expansion) {
    TaskSpec task;
    task.number = number;
    task.file = file;
    task.line = line;
    task.command = std::move(expansion.command);
    task.slot_offsets = std::move(expansion.slot_offsets);
    task.error = std::move(expansion.error);
    check_length(task);
    return task;
}

CommandTemplate parse_template(std::string const& text) {
    return CommandTemplate(text);  // throws InputError naming the unknown string
}

}  // namespace

std::vector<TaskSpec> tasks_from_file(std::string const& path) {
    std::vector<TaskSpec> tasks;
    for (auto& line : read_task_file(path)) {
        TaskSpec task;
        task.number = line.line;  // GNU parallel numbers every line, comments and blank lines too
        task.command = std::move(line.text);
        task.file = path;
        task.line = line.line;
        check_length(task);
        tasks.push_back(std::move(task));
    }
    return tasks;
}

std::vector<TaskSpec> tasks_from_template(std::string const& command_template, std::string const& path, bool header,
                                          TableFormat const& format) {
    CommandTemplate const tmpl = parse_template(command_template);
    bool const has_header = header || !tmpl.named_fields().empty();
    ParameterTable const table = read_parameter_table(path, has_header, format);
    try {
        tmpl.check_names(table.header);
    } catch (InputError const& e) {
        throw InputError(path + ": " + e.what());
    }
    // {##} is GNU parallel's number of jobs: every line after the header, as it counts them.
    std::size_t const count = table.rows.empty() ? 0 : table.rows.back().line - table.header_line;
    std::vector<TaskSpec> tasks;
    for (auto const& row : table.rows) {
        std::size_t const number = row.line - table.header_line;
        tasks.push_back(make_task(number, path, row.line, tmpl.expand(row.fields, table.header, number, count)));
    }
    return tasks;
}

std::vector<TaskSpec> tasks_from_arguments(std::string const& command_template,
                                           std::vector<std::vector<std::string>> const& arguments) {
    CommandTemplate const tmpl = parse_template(command_template);
    if (!tmpl.named_fields().empty())
        throw InputError("--template: {" + tmpl.named_fields().front() +
                         "} names a header column, but ::: lists have none");
    std::size_t count = arguments.empty() ? 0 : 1;
    for (auto const& list : arguments) count *= list.size();
    std::vector<TaskSpec> tasks;
    std::vector<std::string> fields(arguments.size());
    for (std::size_t n = 0; n < count; ++n) {
        std::size_t rest = n;  // the last list varies fastest, as in GNU parallel
        for (std::size_t k = arguments.size(); k-- > 0;) {
            fields[k] = arguments[k][rest % arguments[k].size()];
            rest /= arguments[k].size();
        }
        tasks.push_back(make_task(n + 1, ":::", n + 1, tmpl.expand(fields, {}, n + 1, count)));
    }
    return tasks;
}

}  // namespace taskfarm::cli
