#include "journal/checksum.hpp"

#include <array>
#include <bit>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define TASKFARM_JOURNAL_HAVE_SSE42_PATH 1
#endif

namespace taskfarm::journal {
namespace {

constexpr std::uint32_t castagnoli_reflected = 0x82F63B78u;

// tables[k][b]: the CRC of byte b followed by k zero bytes, so eight bytes fold in one step.
constexpr auto make_tables() {
    std::array<std::array<std::uint32_t, 256>, 8> t{};
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t c = b;
        for (int bit = 0; bit < 8; ++bit) c = (c & 1u) ? (c >> 1) ^ castagnoli_reflected : c >> 1;
        t[0][b] = c;
    }
    for (std::size_t k = 1; k < 8; ++k)
        for (std::size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
    return t;
}
constexpr auto tables = make_tables();

std::uint64_t load_le64(std::byte const* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
}

std::uint32_t crc32c_table(std::byte const* p, std::size_t n, std::uint32_t crc) noexcept {
    for (; n >= 8; n -= 8, p += 8) {
        std::uint64_t const w = load_le64(p) ^ crc;
        crc = tables[7][w & 0xFF] ^ tables[6][(w >> 8) & 0xFF] ^ tables[5][(w >> 16) & 0xFF] ^
              tables[4][(w >> 24) & 0xFF] ^ tables[3][(w >> 32) & 0xFF] ^ tables[2][(w >> 40) & 0xFF] ^
              tables[1][(w >> 48) & 0xFF] ^ tables[0][w >> 56];
    }
    for (; n > 0; --n, ++p) crc = (crc >> 8) ^ tables[0][(crc ^ std::to_integer<std::uint32_t>(*p)) & 0xFFu];
    return crc;
}

#ifdef TASKFARM_JOURNAL_HAVE_SSE42_PATH
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::byte const* p, std::size_t n,
                                                             std::uint32_t crc) noexcept {
    std::uint64_t c = crc;
    for (; n >= 8; n -= 8, p += 8) c = _mm_crc32_u64(c, load_le64(p));
    auto c32 = static_cast<std::uint32_t>(c);
    for (; n > 0; --n, ++p) c32 = _mm_crc32_u8(c32, std::to_integer<std::uint8_t>(*p));
    return c32;
}

bool cpu_has_sse42() noexcept {
    static bool const has = __builtin_cpu_supports("sse4.2");
    return has;
}
#endif

constexpr std::uint64_t k1 = 0x87C37B91114253D5ull;
constexpr std::uint64_t k2 = 0x4CF5AD432745937Full;

std::uint64_t fmix64(std::uint64_t h) noexcept {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
}

std::uint64_t mix_word(std::uint64_t w) noexcept { return std::rotl(w * k1, 31) * k2; }

}  // namespace

std::uint32_t crc32c(ByteView data, std::uint32_t crc) noexcept {
    crc = ~crc;
#ifdef TASKFARM_JOURNAL_HAVE_SSE42_PATH
    if (cpu_has_sse42()) return ~crc32c_sse42(data.data(), data.size(), crc);
#endif
    return ~crc32c_table(data.data(), data.size(), crc);
}

std::uint64_t hash64(ByteView data, std::uint64_t seed) noexcept {
    std::uint64_t h = seed ^ (data.size() * k2);
    std::byte const* p = data.data();
    std::size_t n = data.size();
    for (; n >= 8; n -= 8, p += 8) h = std::rotl(h ^ mix_word(load_le64(p)), 27) * 5 + 0x52DCE729;
    if (n > 0) {
        std::uint64_t tail = 0;
        for (std::size_t i = 0; i < n; ++i) tail |= std::uint64_t{std::to_integer<std::uint8_t>(p[i])} << (8 * i);
        h ^= mix_word(tail);
    }
    return fmix64(h ^ data.size());
}

std::uint64_t hash_combine(std::uint64_t hash, std::uint64_t value) noexcept {
    return fmix64(std::rotl(hash, 23) ^ mix_word(value ^ 0x9E3779B97F4A7C15ull));
}

}  // namespace taskfarm::journal
