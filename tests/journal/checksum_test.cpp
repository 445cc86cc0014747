// CRC-32C against published check values and against Boost.CRC as an independent reference; the
// input hash for sensitivity to every bit.
#include <boost/crc.hpp>

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string_view>
#include <vector>

#include "journal/checksum.hpp"

namespace taskfarm::journal {
namespace {

ByteView view(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

std::uint32_t boost_crc32c(ByteView data) {
    boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
    crc.process_bytes(data.data(), data.size());
    return crc.checksum();
}

TEST(Crc32c, MatchesPublishedCheckValues) {
    EXPECT_EQ(crc32c(view("123456789")), 0xE3069283u);  // the CRC catalogue's check value
    std::vector<std::byte> zeros(32, std::byte{0});
    EXPECT_EQ(crc32c(zeros), 0x8A9136AAu);  // RFC 3720, B.4
    std::vector<std::byte> ones(32, std::byte{0xFF});
    EXPECT_EQ(crc32c(ones), 0x62A8AB43u);
    EXPECT_EQ(crc32c({}), 0u);
}

TEST(Crc32c, MatchesBoostCrcForEveryLengthAndAlignment) {
    std::mt19937_64 rng(42);
    std::vector<std::byte> data(300);
    for (auto& b : data) b = static_cast<std::byte>(rng());
    for (std::size_t offset = 0; offset < 8; ++offset)
        for (std::size_t length = 0; length + offset <= data.size(); length += 1 + length / 16) {
            ByteView const part = ByteView(data).subspan(offset, length);
            ASSERT_EQ(crc32c(part), boost_crc32c(part)) << "offset " << offset << " length " << length;
        }
}

TEST(Crc32c, ContinuesAcrossSplits) {
    std::string_view const text = "the quick brown fox jumps over the lazy dog, twice over";
    ByteView const all = view(text);
    for (std::size_t split = 0; split <= all.size(); ++split)
        EXPECT_EQ(crc32c(all.subspan(split), crc32c(all.first(split))), crc32c(all)) << "split at " << split;
}

TEST(Hash64, ChangesWithEveryBitAndLength) {
    std::vector<std::byte> data(40);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i * 7);
    std::set<std::uint64_t> seen;
    for (std::size_t length = 0; length <= data.size(); ++length) {
        ByteView const part = ByteView(data).first(length);
        EXPECT_TRUE(seen.insert(hash64(part)).second) << "length " << length;
        for (std::size_t bit = 0; bit < 8 * length; ++bit) {
            auto flipped = std::vector<std::byte>(part.begin(), part.end());
            flipped[bit / 8] ^= std::byte{static_cast<unsigned char>(1u << (bit % 8))};
            EXPECT_NE(hash64(flipped), hash64(part)) << "length " << length << " bit " << bit;
        }
    }
}

TEST(Hash64, DependsOnSeedAndCombineOnOrder) {
    ByteView const data = view("inputs");
    EXPECT_EQ(hash64(data, 7), hash64(data, 7));
    EXPECT_NE(hash64(data, 7), hash64(data, 8));
    EXPECT_NE(hash_combine(hash_combine(0, 1), 2), hash_combine(hash_combine(0, 2), 1));
}

}  // namespace
}  // namespace taskfarm::journal
