/// @file
/// @brief Reading a journal section: validate the header against the caller's fingerprint, check
/// every record, drop a torn tail, refuse damage in the middle.
#pragma once

#include <cstdint>
#include <filesystem>

#include "journal/fingerprint.hpp"
#include "journal/replay.hpp"

namespace taskfarm::journal {

/// Reads section `section` of the journal at `path` (see section_path) without changing it.
/// @throws NotAJournalError, JournalMismatchError, JournalCorruptError, JournalError (I/O, missing file)
[[nodiscard]] Replay read_section(std::filesystem::path const& path, std::uint32_t section,
                                  Fingerprint const& expected);

/// The same on bytes already read from `file`, which is named in errors.
[[nodiscard]] Replay parse_section(std::filesystem::path const& file, Bytes contents, std::uint32_t section,
                                   Fingerprint const& expected);

}  // namespace taskfarm::journal
