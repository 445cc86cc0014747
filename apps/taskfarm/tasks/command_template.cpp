#include "tasks/command_template.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>

#include "input_error.hpp"
#include "tasks/shell_quote.hpp"

namespace taskfarm::cli {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_identifier(std::string_view s) {
    if (s.empty() || is_digit(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c);
    });
}

/// Whether `{inside}` is meant as a replacement string: only the characters those are made of.
/// Anything else (`{a,b}`, `{print $1}`, `{ x; }`) is shell or awk text and stays as written.
bool looks_like_replacement(std::string_view inside) {
    return std::all_of(inside.begin(), inside.end(), [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
               std::string_view("#%./+-=").find(c) != std::string_view::npos;
    });
}

/// The modifier at the end of a replacement string ("", ".", "/", "//", "/."), or false.
bool parse_path_part(std::string_view suffix, PathPart& part) {
    if (suffix.empty()) part = PathPart::whole;
    else if (suffix == ".") part = PathPart::no_extension;
    else if (suffix == "/") part = PathPart::basename;
    else if (suffix == "//") part = PathPart::dirname;
    else if (suffix == "/.") part = PathPart::basename_no_extension;
    else return false;
    return true;
}

/// s:\.[^/.]*$:: -- the last extension, if the last path component has one.
std::string without_extension(std::string const& value) {
    auto const dot = value.find_last_of("./");
    if (dot == std::string::npos || value[dot] != '.') return value;
    return value.substr(0, dot);
}

/// s:.*/::
std::string basename_of(std::string const& value) {
    auto const slash = value.rfind('/');
    return slash == std::string::npos ? value : value.substr(slash + 1);
}

/// Perl's fileparse: the directory part (through the last '/', else "./") and the rest.
std::pair<std::string, std::string> file_parse(std::string const& path) {
    auto const slash = path.rfind('/');
    if (slash == std::string::npos) return {"./", path};
    return {path.substr(0, slash + 1), path.substr(slash + 1)};
}

/// s{(.)/*\z}{$1}s: trailing slashes off, but never the first character.
void strip_trailing_separators(std::string& dir) {
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
}

/// File::Basename::dirname on Unix, which GNU parallel's {//} is.
std::string dirname_of(std::string const& path) {
    auto [dir, base] = file_parse(path);
    strip_trailing_separators(dir);
    if (base.empty()) {
        std::tie(dir, base) = file_parse(dir);
        strip_trailing_separators(dir);
    }
    return dir;
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string known_strings() {
    return "taskfarm's replacement strings are {}, {.}, {/}, {//}, {/.}, {#}, {##}, {%}, {N}, {N.}, {N/}, "
           "{N//}, {N/.} and {name} (a header column)";
}

}  // namespace

std::string path_part(std::string const& value, PathPart part) {
    switch (part) {
        case PathPart::whole:
            return value;
        case PathPart::no_extension:
            return without_extension(value);
        case PathPart::basename:
            return basename_of(value);
        case PathPart::dirname:
            return dirname_of(value);
        case PathPart::basename_no_extension:
            return without_extension(basename_of(value));
    }
    return value;
}

CommandTemplate::CommandTemplate(std::string text) : text_(std::move(text)) {
    std::string literal;
    std::size_t i = 0;
    while (i < text_.size()) {
        auto const close = text_[i] == '{' ? text_.find('}', i) : std::string::npos;
        bool const after_dollar = i > 0 && text_[i - 1] == '$';
        std::string_view const inside = close == std::string::npos
                                            ? std::string_view()
                                            : std::string_view(text_.data() + i + 1, close - i - 1);
        if (close == std::string::npos || after_dollar || !looks_like_replacement(inside)) {
            literal += text_[i++];
            continue;
        }
        auto const unknown = [&](std::string const& why) {
            return InputError("--template: unknown replacement string {" + std::string(inside) + "} at character " +
                              std::to_string(i + 1) + " of '" + text_ + "'" + why + "; " + known_strings());
        };
        Part placeholder;
        Field field;
        auto const digits = static_cast<std::size_t>(std::find_if_not(inside.begin(), inside.end(), is_digit) -
                                                     inside.begin());
        std::size_t const name_length = static_cast<std::size_t>(
            std::find_if(inside.begin(), inside.end(), [](char c) { return c == '.' || c == '/'; }) - inside.begin());
        if (inside == "#") {
            placeholder = TaskNumber{};
        } else if (inside == "##") {
            placeholder = TaskCount{};
        } else if (inside == "%") {
            placeholder = Slot{};
        } else if (inside.size() >= 2 && inside.front() == '=' && inside.back() == '=') {
            throw unknown(" (GNU parallel's Perl expressions are not supported)");
        } else if (digits > 0) {
            if (digits > 8 || !parse_path_part(inside.substr(digits), field.part)) throw unknown("");
            field.index = std::stoul(std::string(inside.substr(0, digits)));
            if (field.index == 0) throw unknown(" (fields count from {1})");
            placeholder = field;
        } else if (parse_path_part(inside, field.part)) {
            placeholder = field;  // {} {.} {/} {//} {/.}: the whole row
        } else if (is_identifier(inside.substr(0, name_length)) &&
                   parse_path_part(inside.substr(name_length), field.part)) {
            field.name = std::string(inside.substr(0, name_length));
            placeholder = field;
        } else {
            throw unknown("");
        }
        if (!literal.empty()) parts_.emplace_back(std::move(literal));
        literal.clear();
        parts_.push_back(std::move(placeholder));
        i = close + 1;
    }
    if (!literal.empty()) parts_.emplace_back(std::move(literal));
}

std::vector<std::string> CommandTemplate::named_fields() const {
    std::vector<std::string> names;
    for (auto const& part : parts_)
        if (auto const* field = std::get_if<Field>(&part); field && !field->name.empty()) names.push_back(field->name);
    return names;
}

std::size_t CommandTemplate::highest_position() const noexcept {
    std::size_t highest = 0;
    for (auto const& part : parts_)
        if (auto const* field = std::get_if<Field>(&part)) highest = std::max(highest, field->index);
    return highest;
}

bool CommandTemplate::uses_slot() const noexcept {
    return std::any_of(parts_.begin(), parts_.end(), [](Part const& p) { return std::holds_alternative<Slot>(p); });
}

void CommandTemplate::check_names(std::vector<std::string> const& header) const {
    for (auto const& name : named_fields()) {
        if (std::find(header.begin(), header.end(), name) != header.end()) continue;
        std::string columns;
        for (auto const& column : header) columns += (columns.empty() ? "" : ", ") + column;
        throw InputError("template field {" + name +
                         "} is not a column of the header (columns: " + (columns.empty() ? "none" : columns) + ")");
    }
}

CommandTemplate::Expansion CommandTemplate::expand(std::vector<std::string> const& fields,
                                                   std::vector<std::string> const& header, std::size_t task_number,
                                                   std::size_t task_count) const {
    Expansion result;
    auto field_error = [&](std::string const& placeholder) {
        result.error = "template field " + placeholder + " is missing: the row has " + std::to_string(fields.size()) +
                       (fields.size() == 1 ? " field" : " fields");
    };
    auto field_text = [&](Field const& f) {
        if (!f.name.empty()) {
            auto const column = static_cast<std::size_t>(std::find(header.begin(), header.end(), f.name) -
                                                         header.begin());
            if (column >= header.size() || column >= fields.size()) return field_error("{" + f.name + "}");
            result.command += shell_quote(path_part(fields[column], f.part));
        } else if (f.index == 0) {  // {} and friends: every field, as GNU parallel joins columns
            for (std::size_t k = 0; k < fields.size(); ++k)
                result.command += (k ? " " : "") + shell_quote(path_part(fields[k], f.part));
        } else if (f.index > fields.size()) {
            field_error("{" + std::to_string(f.index) + "}");
        } else {
            result.command += shell_quote(path_part(fields[f.index - 1], f.part));
        }
    };
    for (auto const& part : parts_) {
        std::visit(Overloaded{
                       [&](std::string const& literal) { result.command += literal; },
                       [&](TaskNumber) { result.command += std::to_string(task_number); },
                       [&](TaskCount) { result.command += std::to_string(task_count); },
                       [&](Slot) { result.slot_offsets.push_back(static_cast<std::uint32_t>(result.command.size())); },
                       [&](Field const& f) { field_text(f); },
                   },
                   part);
        if (!result.ok()) {
            result.command.clear();
            result.slot_offsets.clear();
            return result;
        }
    }
    return result;
}

std::string with_slot(std::string const& command, std::vector<std::uint32_t> const& offsets, std::string const& slot) {
    if (offsets.empty()) return command;
    std::string const& number = slot;
    std::string filled;
    std::size_t from = 0;
    for (auto const offset : offsets) {
        filled.append(command, from, offset - from);
        filled += number;
        from = offset;
    }
    filled.append(command, from, std::string::npos);
    return filled;
}

}  // namespace taskfarm::cli
