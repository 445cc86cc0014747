#include "engine/build_id.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <span>
#include <system_error>
#include <vector>

#include <taskfarm/detail/job.hpp>

#include "engine/wire.hpp"
#include "journal/checksum.hpp"

namespace taskfarm::detail {

namespace {

std::filesystem::path executable() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : path;
}

std::uint64_t compute_build_id() {
    std::uint64_t hash = name_hash(kTaskfarmVersion);
    hash = name_hash(std::to_string(sizeof(Header)), hash);
    std::ifstream in("/proc/self/exe", std::ios::binary);
    if (!in) return hash;  // no /proc: the version alone
    std::vector<char> head(std::size_t{1} << 20);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    hash = journal::hash64(std::as_bytes(std::span(head)), hash);
    std::error_code ec;
    auto const size = std::filesystem::file_size("/proc/self/exe", ec);
    return name_hash(std::to_string(ec ? 0 : size), hash);
}

}  // namespace

std::uint64_t program_build_id() {
    static std::uint64_t const id = compute_build_id();
    return id;
}

std::string program_description() {
    auto const path = executable();
    std::error_code ec;
    auto const size = std::filesystem::file_size("/proc/self/exe", ec);
    return "'" + (path.empty() ? std::string("?") : path.string()) + "' (" +
           (ec ? std::string("?") : std::to_string(size)) + " bytes, taskfarm " + kTaskfarmVersion + ")";
}

}  // namespace taskfarm::detail
