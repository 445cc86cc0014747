/// @file
/// @brief Shared helpers of the journal tests: a scratch directory, a standard fingerprint, blocks
/// with recognisable payloads, and raw file access for damaging journals on purpose.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <stdlib.h>

#include <gtest/gtest.h>

#include "journal/reader.hpp"
#include "journal/writer.hpp"

namespace taskfarm::journal::testing {

/// A fresh directory under the system temp dir, removed with everything in it at the end.
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "taskfarm-journal-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ignored);
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(ScratchDir const&) = delete;
    ScratchDir& operator=(ScratchDir const&) = delete;
    [[nodiscard]] std::filesystem::path const& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(std::string const& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline Fingerprint test_fingerprint(std::uint64_t task_count = 100) {
    return Fingerprint{task_count, 0x1234'5678'9ABC'DEF0ull, "double/8", "map", "taskfarm 0.1.0 raw-le64"};
}

/// What a test wrote as one block; compared with what a replay gives back.
struct ExpectedBlock {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    std::vector<std::byte> payload;
    std::vector<TaskFailure> failures;
    std::uint64_t input_hash = 0;
};

/// Block k of a test journal: tasks [k * width, (k + 1) * width), a payload whose size and bytes
/// depend on k (block 3 has an empty payload), and a failure in every fourth block.
inline ExpectedBlock test_block(std::uint64_t k, std::uint64_t width = 4) {
    ExpectedBlock b;
    b.first = k * width;
    b.count = width;
    std::size_t const size = k == 3 ? 0 : 5 + 7 * k;
    for (std::size_t i = 0; i < size; ++i) b.payload.push_back(static_cast<std::byte>(k * 31 + i));
    if (k % 4 == 1)
        b.failures.push_back(TaskFailure{b.first + 1, static_cast<int>(k % 3), "bad input " + std::to_string(k)});
    b.input_hash = 1000 + k;
    return b;
}

inline void append(JournalWriter& w, ExpectedBlock const& b) {
    w.append_block(b.first, b.count, b.payload, b.input_hash, b.failures);
}

/// Syncs that only count, so tests that open many journals do not wait for the disk.
inline SyncHooks counting_hooks(int* syncs) {
    SyncHooks hooks;
    hooks.sync = [syncs](int) { ++*syncs; };
    return hooks;
}

inline void expect_block_eq(ReplayedBlock const& got, ExpectedBlock const& want) {
    EXPECT_EQ(got.first, want.first);
    EXPECT_EQ(got.count, want.count);
    EXPECT_EQ(got.input_hash, want.input_hash);
    EXPECT_EQ(std::vector<std::byte>(got.payload.begin(), got.payload.end()), want.payload)
        << "block at " << want.first;
    ASSERT_EQ(got.failures.size(), want.failures.size());
    for (std::size_t i = 0; i < want.failures.size(); ++i) {
        EXPECT_EQ(got.failures[i].index, want.failures[i].index);
        EXPECT_EQ(got.failures[i].rank, want.failures[i].rank);
        EXPECT_EQ(got.failures[i].message, want.failures[i].message);
    }
}

inline std::vector<std::byte> read_bytes(std::filesystem::path const& p) {
    std::ifstream in(p, std::ios::binary);
    std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> out(chars.size());
    for (std::size_t i = 0; i < chars.size(); ++i) out[i] = static_cast<std::byte>(chars[i]);
    return out;
}

inline void write_bytes(std::filesystem::path const& p, std::vector<std::byte> const& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

/// Byte offsets where each record starts, and the end of the last one, found by walking a journal
/// this build wrote (header size at offset 12, body size at offset 8 of each record).
inline std::vector<std::size_t> record_offsets(std::vector<std::byte> const& file) {
    auto u32_at = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= std::uint32_t{std::to_integer<std::uint8_t>(file[at + i])} << (8 * i);
        return v;
    };
    std::vector<std::size_t> out;
    std::size_t at = u32_at(12);
    while (at + record_header_size <= file.size()) {
        out.push_back(at);
        at += record_header_size + u32_at(at + 8);
    }
    out.push_back(at);
    return out;
}

}  // namespace taskfarm::journal::testing
