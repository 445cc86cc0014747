#include "command_template.hpp"

#include <algorithm>

#include "input_error.hpp"
#include "shell_quote.hpp"

namespace taskfarm::cli {

namespace {

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_identifier(std::string_view s) {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

CommandTemplate::CommandTemplate(std::string text) : text_(std::move(text)) {
    std::string literal;
    std::size_t i = 0;
    while (i < text_.size()) {
        auto const close = text_[i] == '{' ? text_.find('}', i) : std::string::npos;
        bool const after_dollar = i > 0 && text_[i - 1] == '$';
        if (close == std::string::npos || after_dollar) {
            literal += text_[i++];
            continue;
        }
        std::string_view const inside(text_.data() + i + 1, close - i - 1);
        Part placeholder;
        if (inside == "#") {
            placeholder = TaskNumber{};
        } else if (is_digits(inside) && inside != "0" && inside.size() < 9) {
            placeholder = Position{std::stoul(std::string(inside))};
        } else if (is_identifier(inside)) {
            placeholder = Name{std::string(inside)};
        } else {
            literal += text_[i++];  // `{}`, `{a,b}` and the like are shell text
            continue;
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
        if (auto const* name = std::get_if<Name>(&part)) names.push_back(name->name);
    return names;
}

std::size_t CommandTemplate::highest_position() const noexcept {
    std::size_t highest = 0;
    for (auto const& part : parts_)
        if (auto const* position = std::get_if<Position>(&part)) highest = std::max(highest, position->index);
    return highest;
}

void CommandTemplate::check_names(std::vector<std::string> const& header) const {
    for (auto const& name : named_fields()) {
        if (std::find(header.begin(), header.end(), name) != header.end()) continue;
        std::string columns;
        for (auto const& column : header) columns += (columns.empty() ? "" : ", ") + column;
        throw InputError("template field {" + name + "} is not a column of the header (columns: " +
                         (columns.empty() ? "none" : columns) + ")");
    }
}

CommandTemplate::Expansion CommandTemplate::expand(std::vector<std::string> const& fields,
                                                   std::vector<std::string> const& header,
                                                   std::size_t task_number) const {
    Expansion result;
    auto field_error = [&](std::string const& placeholder) {
        result.error = "template field " + placeholder + " is missing: the row has " +
                       std::to_string(fields.size()) + (fields.size() == 1 ? " field" : " fields");
    };
    for (auto const& part : parts_) {
        std::visit(Overloaded{
                       [&](std::string const& literal) { result.command += literal; },
                       [&](TaskNumber) { result.command += std::to_string(task_number); },
                       [&](Position const& p) {
                           if (p.index > fields.size())
                               field_error("{" + std::to_string(p.index) + "}");
                           else
                               result.command += shell_quote(fields[p.index - 1]);
                       },
                       [&](Name const& n) {
                           auto const column =
                               static_cast<std::size_t>(std::find(header.begin(), header.end(), n.name) - header.begin());
                           if (column >= header.size() || column >= fields.size())
                               field_error("{" + n.name + "}");
                           else
                               result.command += shell_quote(fields[column]);
                       },
                   },
                   part);
        if (!result.ok()) {
            result.command.clear();
            return result;
        }
    }
    return result;
}

}  // namespace taskfarm::cli
