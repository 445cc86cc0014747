/// @file
/// @brief The few POSIX file operations the journal needs, each throwing JournalError with the file
/// name and the system's reason.
#pragma once

#include <sys/uio.h>

#include <filesystem>
#include <span>
#include <string>
#include <utility>

#include "journal/format.hpp"

namespace taskfarm::journal {

/// Owns a file descriptor; closes it when destroyed.
class FileHandle {
public:
    FileHandle() = default;
    explicit FileHandle(int fd) noexcept : fd_(fd) {}
    FileHandle(FileHandle&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    FileHandle& operator=(FileHandle&& other) noexcept;
    FileHandle(FileHandle const&) = delete;
    FileHandle& operator=(FileHandle const&) = delete;
    ~FileHandle() { reset(); }

    [[nodiscard]] int get() const noexcept { return fd_; }
    [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
    /// Closes now; returns the errno of close, or 0.
    int reset() noexcept;

private:
    int fd_ = -1;
};

/// strerror of `err`, thread-safe.
[[nodiscard]] std::string errno_text(int err);

/// Opens `path` with `flags` (O_CLOEXEC added); an unopened handle with errno set on failure.
[[nodiscard]] FileHandle open_file(std::filesystem::path const& path, int flags, unsigned mode = 0644);

/// The whole file from offset 0.
[[nodiscard]] Bytes read_whole_file(int fd, std::filesystem::path const& path);

/// Writes every byte of `parts` at `offset`, retrying short writes.
void write_all_at(int fd, std::filesystem::path const& path, std::span<iovec> parts, std::uint64_t offset);

/// fdatasync; a failure is a JournalError (Linux may already have dropped the unwritten pages).
void sync_file(int fd, std::filesystem::path const& path);

/// fsync of the directory holding `path`, so that a created or renamed entry survives a crash.
void sync_parent_directory(std::filesystem::path const& path);

}  // namespace taskfarm::journal
