/// @file
/// @brief The journal's bytes on disk (docs/RESUMING.md has the same tables). All integers are
/// little-endian, whatever the machine.
///
/// File header:  "TFJOURNL" | u32 format_version | u32 header_size | u32 section | u64 task_count |
///               u64 input_hash | str result_type | str call_kind | str compatibility | u32 crc32c
///               (str = u32 length + bytes; the CRC covers every header byte before it)
/// Record:       u32 magic "TJRC" | u32 crc32c | u32 body_size | u8 kind | 3 zero bytes |
///               u64 sequence | u64 synced_through | body
///               (the CRC covers everything after itself: the rest of the header and the body)
/// Block body:   u64 first | u64 count | u64 input_hash | u32 failure_count | u32 zero |
///               failure_count x (u64 index | i32 rank | u32 length | message bytes) | payload
/// Seal body:    empty
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "journal/checksum.hpp"
#include "journal/fingerprint.hpp"

namespace taskfarm::journal {

using Bytes = std::vector<std::byte>;

inline constexpr std::array<char, 8> file_magic = {'T', 'F', 'J', 'O', 'U', 'R', 'N', 'L'};
/// Bumped on any incompatible change of the layout; a journal of another version is refused.
inline constexpr std::uint32_t format_version = 1;
/// A header larger than this is damage, not a header (the strings are type names).
inline constexpr std::uint32_t max_header_size = 1u << 16;
/// "TJRC" read as a little-endian u32: where a record starts.
inline constexpr std::uint32_t record_magic = 0x4352'4A54u;
inline constexpr std::size_t record_header_size = 32;
inline constexpr std::size_t block_fixed_size = 32;

enum class RecordKind : std::uint8_t {
    block = 1,  ///< the results (or partial fold) of tasks [first, first + count)
    seal = 2,   ///< written after the final sync of a clean close: everything before it is durable
};

/// The file of section `section`: `path` for section 0, `path.1`, `path.2`, ... for the farm calls
/// after it. One file per call keeps every file append-only.
[[nodiscard]] std::filesystem::path section_path(std::filesystem::path const& path, std::uint32_t section);

/// Little-endian writing into a growing buffer.
class ByteWriter {
public:
    explicit ByteWriter(Bytes& out) : out_(out) {}
    void u8(std::uint8_t v) { out_.push_back(std::byte{v}); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void bytes(ByteView b) { out_.insert(out_.end(), b.begin(), b.end()); }
    void str(std::string_view s);
    void zeros(std::size_t n) { out_.insert(out_.end(), n, std::byte{0}); }

private:
    void put(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i) out_.push_back(static_cast<std::byte>(v >> (8 * i)));
    }
    Bytes& out_;
};

/// Little-endian reading of a byte view; `ok()` turns false (and reads give 0) once it runs short.
class ByteReader {
public:
    explicit ByteReader(ByteView in) : in_(in) {}
    std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
    std::uint64_t u64() { return get(8); }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    ByteView bytes(std::size_t n);
    std::string str();
    [[nodiscard]] bool ok() const noexcept { return ok_; }
    [[nodiscard]] std::size_t position() const noexcept { return at_; }
    [[nodiscard]] std::size_t remaining() const noexcept { return in_.size() - at_; }

private:
    std::uint64_t get(int n);
    ByteView in_;
    std::size_t at_ = 0;
    bool ok_ = true;
};

/// The file header, ready to write: magic, version, fingerprint, CRC.
[[nodiscard]] Bytes encode_file_header(std::uint32_t section, Fingerprint const& fingerprint);

/// The fixed 32 bytes that start a record, with the CRC left 0 (see seal_record_header).
struct RecordHeader {
    RecordKind kind = RecordKind::block;
    std::uint32_t body_size = 0;
    std::uint64_t sequence = 0;
    std::uint64_t synced_through = 0;  ///< records of this file known durable when this one was written
};
void encode_record_header(RecordHeader const& header, std::array<std::byte, record_header_size>& out);
/// Writes the CRC of (header after the CRC field, then `body_parts`) into the header.
void seal_record_header(std::array<std::byte, record_header_size>& header, std::initializer_list<ByteView> body_parts);

}  // namespace taskfarm::journal
