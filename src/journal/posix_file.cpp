#include "journal/posix_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "journal/journal_error.hpp"

namespace taskfarm::journal {

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

int FileHandle::reset() noexcept {
    if (fd_ < 0) return 0;
    int const rc = ::close(std::exchange(fd_, -1));
    return rc == 0 ? 0 : errno;
}

namespace {
// strerror_r is the GNU one (returns the message) or the XSI one (returns 0 and fills the buffer).
[[maybe_unused]] std::string strerror_result(char const* message, char const*) { return message; }
[[maybe_unused]] std::string strerror_result(int rc, char const* buffer) {
    return rc == 0 ? std::string(buffer) : "unknown error";
}
}  // namespace

std::string errno_text(int err) {
    char buffer[256] = {};
    return strerror_result(::strerror_r(err, buffer, sizeof buffer), buffer);
}

FileHandle open_file(std::filesystem::path const& path, int flags, unsigned mode) {
    int fd;
    do {
        fd = ::open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode));
    } while (fd < 0 && errno == EINTR);
    return FileHandle(fd);
}

Bytes read_whole_file(int fd, std::filesystem::path const& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw JournalError(path, "cannot stat: " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) throw NotAJournalError(path, "is not a regular file, so not a taskfarm journal");
    Bytes out(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t const n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw JournalError(path, "cannot read: " + errno_text(errno));
        if (n == 0) break;  // shrank meanwhile: what was read is the file
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

void write_all_at(int fd, std::filesystem::path const& path, std::span<iovec> parts, std::uint64_t offset) {
    std::vector<iovec> left(parts.begin(), parts.end());
    std::size_t first = 0;
    while (first < left.size()) {
        ssize_t const n = ::pwritev(fd, left.data() + first, static_cast<int>(left.size() - first),
                                    static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw JournalError(path, "cannot write: " + errno_text(errno));
        offset += static_cast<std::uint64_t>(n);
        auto written = static_cast<std::size_t>(n);
        while (first < left.size() && written >= left[first].iov_len) written -= left[first++].iov_len;
        if (first < left.size()) {
            left[first].iov_base = static_cast<char*>(left[first].iov_base) + written;
            left[first].iov_len -= written;
        }
    }
}

void sync_file(int fd, std::filesystem::path const& path) {
    int rc;
    do {
        rc = ::fdatasync(fd);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) throw JournalError(path, "cannot sync to disk: " + errno_text(errno));
}

void sync_parent_directory(std::filesystem::path const& path) {
    std::filesystem::path dir = path.parent_path();
    if (dir.empty()) dir = ".";
    FileHandle const handle = open_file(dir, O_RDONLY | O_DIRECTORY);
    if (!handle.is_open()) throw JournalError(path, "cannot open its directory to sync it: " + errno_text(errno));
    // Some file systems cannot sync a directory (EINVAL); there the rename is as durable as it gets.
    if (::fsync(handle.get()) != 0 && errno != EINVAL)
        throw JournalError(path, "cannot sync its directory: " + errno_text(errno));
}

}  // namespace taskfarm::journal
