#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/errors.hpp>

using namespace taskfarm::detail;

namespace {
struct Raw {
    double x;
    int y;
};
struct Archived {
    std::string name;
    std::vector<int> values;
    template <class A>
    void serialize(A& a, unsigned) {
        a & name & values;
    }
    bool operator==(Archived const&) const = default;
};

template <class T>
std::vector<T> round_trip(std::vector<T> const& in) {
    Bytes bytes;
    encode_values<T>(bytes, in.size(), [&](std::uint64_t k) -> T const& { return in[k]; });
    DecodedValues<T> decoded(bytes, in.size());
    std::vector<T> out;
    for (std::uint64_t k = 0; k < in.size(); ++k) out.push_back(decoded.take(k));
    return out;
}
}  // namespace

TEST(Codec, RawTypesTravelAsTheirBytes) {
    static_assert(is_raw_v<Raw> && is_raw_v<double> && !is_raw_v<std::string> && !is_raw_v<int*>);
    std::vector<Raw> in{{1.5, 1}, {-2.25, 2}, {0, 3}};
    Bytes bytes;
    encode_values<Raw>(bytes, in.size(), [&](std::uint64_t k) { return in[k]; });
    EXPECT_EQ(bytes.size(), in.size() * sizeof(Raw));  // no archive, no header
    auto const out = round_trip(in);
    for (std::size_t i = 0; i < in.size(); ++i) {
        EXPECT_EQ(out[i].x, in[i].x);
        EXPECT_EQ(out[i].y, in[i].y);
    }
}

TEST(Codec, ArchivedTypesRoundTrip) {
    std::vector<Archived> in{{"a", {1, 2}}, {"", {}}, {std::string(1000, 'z'), {7}}};
    EXPECT_EQ(round_trip(in), in);
    std::vector<std::map<std::string, int>> maps{{{"x", 1}}, {}};
    EXPECT_EQ(round_trip(maps), maps);
}

TEST(Codec, StdOptionalRoundTrips) {
    std::vector<std::optional<std::string>> in{std::nullopt, std::string("value")};
    EXPECT_EQ(round_trip(in), in);
    std::vector<std::optional<double>> raw{std::nullopt, 2.5};
    EXPECT_EQ(round_trip(raw), raw);
}

TEST(Codec, WrongSizedRawBlockIsAnError) {
    Bytes bytes(12);
    EXPECT_THROW((DecodedValues<double>(bytes, 2)), taskfarm::Error);
}
