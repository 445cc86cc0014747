/// @file
/// @brief Quoting a value so that `/bin/sh` reads it back as exactly one word.
#pragma once

#include <string>

namespace taskfarm::cli {

/// `value` as one shell word: unchanged when it only has characters the shell never interprets
/// (letters, digits and `_ - . / : = + , @ %`), else in single quotes with each `'` written `'\''`.
/// The empty string becomes `''`.
[[nodiscard]] std::string shell_quote(std::string const& value);

}  // namespace taskfarm::cli
