/// @file
/// @brief The `--template` of `run`: a shell command with placeholders filled from a table row.
///
/// Placeholders: `{1}`, `{2}`, ... the row's fields (1-based), `{#}` the task number, `{name}` the
/// field under that header column. Fields are shell-quoted, so a value with spaces or quotes stays
/// one word. `${VAR}` is shell syntax, not a placeholder; any other brace is left as written.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace taskfarm::cli {

class CommandTemplate {
public:
    /// Splits `text` into literal text and placeholders.
    explicit CommandTemplate(std::string text);

    /// The names used as `{name}` (so the caller knows the table needs a header).
    [[nodiscard]] std::vector<std::string> named_fields() const;

    /// The largest `{N}` used (0 when none).
    [[nodiscard]] std::size_t highest_position() const noexcept;

    /// Checks that every `{name}` is a column of `header`.
    /// @throws InputError naming the first unknown field and the columns there are.
    void check_names(std::vector<std::string> const& header) const;

    /// The result of filling the template for one row: the command, or why it cannot be made.
    struct Expansion {
        std::string command;
        std::string error;  ///< empty on success, e.g. "template field {3} is missing: the row has 2 fields"
        [[nodiscard]] bool ok() const noexcept { return error.empty(); }
    };

    /// Fills the placeholders from `fields` (named ones through `header`) and the task number.
    [[nodiscard]] Expansion expand(std::vector<std::string> const& fields, std::vector<std::string> const& header,
                                   std::size_t task_number) const;

    [[nodiscard]] std::string const& text() const noexcept { return text_; }

private:
    struct Position {
        std::size_t index;  // 1-based
    };
    struct Name {
        std::string name;
    };
    struct TaskNumber {};
    using Part = std::variant<std::string, Position, Name, TaskNumber>;

    std::string text_;
    std::vector<Part> parts_;
};

}  // namespace taskfarm::cli
