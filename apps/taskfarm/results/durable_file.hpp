/// @file
/// @brief Flushing to disk for --joblog-fsync: a file's data with fdatasync(2), and the directory
/// entry of a file just created with fsync(2) of its directory (else a crash can lose the name).
#pragma once

#include <string>

namespace taskfarm::cli {

/// fdatasync(fd). @throws std::system_error naming `path` when it fails.
void sync_file(int fd, std::string const& path);

/// fsync of the directory that holds `path`. File systems that cannot sync a directory (EINVAL)
/// are accepted as they are. @throws std::system_error for other failures.
void sync_directory_of(std::string const& path);

}  // namespace taskfarm::cli
