/// @file
/// @brief The `--template` of `run`: a shell command with GNU parallel's replacement strings,
/// filled from one row of a table.
///
/// Replacement strings, with GNU parallel's meanings (a row of a one-column table is GNU's
/// input line; with more columns `{}` and `{.}` ... are every field, space-separated):
/// `{}` the row, `{.}` without its extension, `{/}` its basename, `{//}` its directory,
/// `{/.}` the basename without extension; `{N}`, `{N.}`, `{N/}`, `{N//}`, `{N/.}` the same for
/// field N (1-based); `{name}` (and `{name.}` ...) the field under header column `name`;
/// `{#}` the task number, `{##}` the number of tasks, `{%}` the slot that runs the task (known
/// only there: expansion leaves a marker that the rank fills in). Fields are shell-quoted, so a
/// value with spaces or quotes stays one word. `${VAR}`, `{a,b}`, `{print $1}` (anything with
/// characters a replacement string never has) are shell text. Any other `{...}` is an error
/// naming it, never passed through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace taskfarm::cli {

/// GNU parallel's path modifiers: `{.}`, `{/}`, `{//}`, `{/.}`.
enum class PathPart : std::uint8_t { whole, no_extension, basename, dirname, basename_no_extension };

/// Applies a modifier the way GNU parallel does (`{//}` is Perl's File::Basename::dirname).
[[nodiscard]] std::string path_part(std::string const& value, PathPart part);

class CommandTemplate {
public:
    /// Splits `text` into literal text and replacement strings.
    /// @throws InputError naming an unknown replacement string and where it is.
    explicit CommandTemplate(std::string text);

    /// The names used as `{name}` (so the caller knows the table needs a header).
    [[nodiscard]] std::vector<std::string> named_fields() const;

    /// The largest `{N}` used (0 when none).
    [[nodiscard]] std::size_t highest_position() const noexcept;

    /// Whether `{%}` is used (the command is then finished on the rank that runs it).
    [[nodiscard]] bool uses_slot() const noexcept;

    /// Checks that every `{name}` is a column of `header`.
    /// @throws InputError naming the first unknown field and the columns there are.
    void check_names(std::vector<std::string> const& header) const;

    /// The result of filling the template for one row: the command, or why it cannot be made.
    struct Expansion {
        std::string command;
        /// Offsets in `command` where the slot number goes (`{%}`), in increasing order.
        std::vector<std::uint32_t> slot_offsets;
        std::string error;  ///< empty on success, e.g. "template field {3} is missing: the row has 2 fields"
        [[nodiscard]] bool ok() const noexcept { return error.empty(); }
    };

    /// Fills the replacement strings from `fields` (named ones through `header`), the task number
    /// and the number of tasks.
    [[nodiscard]] Expansion expand(std::vector<std::string> const& fields, std::vector<std::string> const& header,
                                   std::size_t task_number, std::size_t task_count = 0) const;

    [[nodiscard]] std::string const& text() const noexcept { return text_; }

private:
    struct Field {
        std::size_t index = 0;  // 1-based; 0: the whole row
        std::string name;       // set for {name}
        PathPart part = PathPart::whole;
    };
    struct TaskNumber {};
    struct TaskCount {};
    struct Slot {};
    using Part = std::variant<std::string, Field, TaskNumber, TaskCount, Slot>;

    std::string text_;
    std::vector<Part> parts_;
};

/// `command` with `slot` (the slot number; `{%}` for --dry-run) written at each of `offsets`
/// (from CommandTemplate::Expansion).
[[nodiscard]] std::string with_slot(std::string const& command, std::vector<std::uint32_t> const& offsets,
                                    std::string const& slot);

}  // namespace taskfarm::cli
