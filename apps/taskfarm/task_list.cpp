#include "task_list.hpp"

#include "command_template.hpp"
#include "input_error.hpp"
#include "parameter_table.hpp"
#include "task_file.hpp"

namespace taskfarm::cli {

std::string TaskSpec::where() const {
    return located(file, line, "task " + std::to_string(number));
}

std::vector<TaskSpec> tasks_from_file(std::string const& path) {
    std::vector<TaskSpec> tasks;
    for (auto& line : read_task_file(path)) {
        TaskSpec task;
        task.number = tasks.size() + 1;
        task.command = std::move(line.text);
        task.file = path;
        task.line = line.line;
        tasks.push_back(std::move(task));
    }
    return tasks;
}

std::vector<TaskSpec> tasks_from_template(std::string const& command_template, std::string const& path,
                                          bool header) {
    CommandTemplate const tmpl(command_template);
    bool const has_header = header || !tmpl.named_fields().empty();
    ParameterTable const table = read_parameter_table(path, has_header);
    try {
        tmpl.check_names(table.header);
    } catch (InputError const& e) {
        throw InputError(path + ": " + e.what());
    }
    std::vector<TaskSpec> tasks;
    for (auto const& row : table.rows) {
        TaskSpec task;
        task.number = tasks.size() + 1;
        task.file = path;
        task.line = row.line;
        auto expansion = tmpl.expand(row.fields, table.header, task.number);
        task.command = std::move(expansion.command);
        task.error = std::move(expansion.error);
        tasks.push_back(std::move(task));
    }
    return tasks;
}

}  // namespace taskfarm::cli
