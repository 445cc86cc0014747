/// @file
/// @brief What the journal throws. Every message names the file and what is wrong with it.
///
/// These belong next to taskfarm::Error in include/taskfarm/errors.hpp once the engine throws them
/// to users; until then they live here and users catch them as taskfarm::Error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <taskfarm/errors.hpp>

namespace taskfarm::journal {

/// The journal cannot be used: it cannot be created, read or written, or another process holds it.
class JournalError : public Error {
public:
    JournalError(std::filesystem::path path, std::string const& problem)
        : Error("journal '" + path.string() + "': " + problem), path_(std::move(path)) {}
    [[nodiscard]] std::filesystem::path const& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

/// The file exists but is not a taskfarm journal (or a format this build cannot read). Left untouched.
class NotAJournalError : public JournalError {
public:
    using JournalError::JournalError;
};

/// The journal was written for different work (see Fingerprint). Left untouched.
class JournalMismatchError : public JournalError {
public:
    using JournalError::JournalError;
};

/// Damage that a crash cannot explain: a bad header, or a bad record with good records after it that
/// prove it had reached the disk. Refused rather than dropped, and left untouched.
class JournalCorruptError : public JournalError {
public:
    JournalCorruptError(std::filesystem::path path, std::string const& problem, std::uint64_t offset,
                        std::uint64_t record)
        : JournalError(std::move(path), problem), offset_(offset), record_(record) {}
    /// Byte offset of the damaged header or record in the file.
    [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }
    /// Number (from 0) of the damaged record; 0 for the header.
    [[nodiscard]] std::uint64_t record() const noexcept { return record_; }

private:
    std::uint64_t offset_;
    std::uint64_t record_;
};

}  // namespace taskfarm::journal
