#include "results/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace taskfarm::cli {

void sync_file(int fd, std::string const& path) {
    if (::fdatasync(fd) != 0) throw std::system_error(errno, std::generic_category(), "flushing " + path + " to disk");
}

void sync_directory_of(std::string const& path) {
    auto directory = std::filesystem::path(path).parent_path();
    if (directory.empty()) directory = ".";
    int const fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "opening " + directory.string());
    int const rc = ::fsync(fd);
    int const saved = errno;
    ::close(fd);
    if (rc != 0 && saved != EINVAL)
        throw std::system_error(saved, std::generic_category(), "flushing the directory " + directory.string());
}

}  // namespace taskfarm::cli
