/// @file
/// @brief The two checksums of the journal: CRC-32C guards every record against torn writes and bit
/// rot; a fast 64-bit hash fingerprints the inputs a journal was written for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace taskfarm::journal {

/// The same type as taskfarm::detail::ByteView, spelled here so the journal does not pull in the codec.
using ByteView = std::span<std::byte const>;

/// CRC-32C (Castagnoli, the polynomial of iSCSI, ext4 and SSE 4.2). Pass a previous result as `crc`
/// to continue it: `crc32c(b, crc32c(a)) == crc32c(a + b)`. Uses the SSE 4.2 instruction where the
/// CPU has it (about 10 GB/s), else a slicing-by-8 table (about 2 GB/s).
[[nodiscard]] std::uint32_t crc32c(ByteView data, std::uint32_t crc = 0) noexcept;

/// A 64-bit hash of a byte string (Murmur3-style mixing of 8-byte words). Not cryptographic: it
/// tells accidental differences apart (another input file, a changed parameter), nothing more.
[[nodiscard]] std::uint64_t hash64(ByteView data, std::uint64_t seed = 0) noexcept;

/// Mixes `value` into `hash` (order matters), for hashes built from several parts.
[[nodiscard]] std::uint64_t hash_combine(std::uint64_t hash, std::uint64_t value) noexcept;

}  // namespace taskfarm::journal
