#include "tasks/task_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "input_error.hpp"

namespace taskfarm::cli {

std::string trim_blanks(std::string const& text) {
    auto const first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return {};
    auto const last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::vector<TaskLine> parse_task_lines(std::istream& in, std::string const& name) {
    std::vector<TaskLine> lines;
    std::string raw;
    std::size_t number = 0;
    while (std::getline(in, raw)) {
        ++number;
        std::string text = trim_blanks(raw);
        if (text.empty() || text.front() == '#') continue;
        lines.push_back(TaskLine{number, std::move(text)});
    }
    if (in.bad()) throw InputError(name + ": read error after line " + std::to_string(number));
    return lines;
}

std::vector<TaskLine> read_task_file(std::string const& path) {
    // An ifstream opens a directory without complaint and then reads nothing: say what it is.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": is a directory, not a file");
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
    return parse_task_lines(in, path);
}

}  // namespace taskfarm::cli
