#include "tasks/shell_quote.hpp"

#include <algorithm>

namespace taskfarm::cli {

namespace {

bool is_shell_safe(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("_-./:=+,@%").find(c) != std::string_view::npos;
}

}  // namespace

std::string shell_quote(std::string const& value) {
    if (!value.empty() && std::all_of(value.begin(), value.end(), is_shell_safe)) return value;
    std::string quoted = "'";
    for (char const c : value) {
        if (c == '\'') quoted += "'\\''";
        else quoted += c;
    }
    quoted += '\'';
    return quoted;
}

}  // namespace taskfarm::cli
