#include <gtest/gtest.h>

#include <algorithm>
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
        a& name& values;
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

TEST(Codec, ValueWriterWritesWhatABlockArchiveWrites) {
    std::vector<Archived> in{{"a", {1, 2}}, {"", {}}, {std::string(100000, 'z'), {7}}, {"b", {}}};
    Bytes block;
    encode_values<Archived>(block, in.size(), [&](std::uint64_t k) -> Archived const& { return in[k]; });
    Bytes streamed(3);  // what is already in the buffer stays in front
    {
        ValueWriter<Archived> writer(streamed, in.size());
        for (auto const& v : in) writer.put(v);
    }
    ASSERT_EQ(streamed.size(), 3 + block.size());
    EXPECT_TRUE(std::equal(block.begin(), block.end(), streamed.begin() + 3));

    std::vector<Raw> raw{{1.5, 1}, {2.5, 2}};
    Bytes raw_bytes;
    ValueWriter<Raw> raw_writer(raw_bytes, raw.size());
    for (auto const& v : raw) raw_writer.put(v);
    EXPECT_EQ(raw_bytes.size(), raw.size() * sizeof(Raw));
}

TEST(Codec, SequentialValuesDecodeInOrderAndPassOverSkippedOnes) {
    std::vector<Archived> in{{"a", {1}}, {"skipped", {2}}, {"c", {3, 4}}, {"d", {}}};
    Bytes bytes;
    encode_values<Archived>(bytes, in.size(), [&](std::uint64_t k) -> Archived const& { return in[k]; });
    SequentialValues<Archived> values(bytes, in.size());
    EXPECT_EQ(values.take(0), in[0]);
    EXPECT_EQ(values.take(2), in[2]);  // value 1 is decoded and dropped
    EXPECT_EQ(values.take(3), in[3]);

    std::vector<double> raw{1.0, 2.0, 3.0};
    Bytes raw_bytes;
    encode_values<double>(raw_bytes, raw.size(), [&](std::uint64_t k) { return raw[k]; });
    SequentialValues<double> raw_values(raw_bytes, raw.size());
    EXPECT_EQ(raw_values.take(1), 2.0);
    EXPECT_EQ(raw_values.take(2), 3.0);
    EXPECT_THROW((SequentialValues<double>(raw_bytes, 2)), taskfarm::Error);
}

TEST(Codec, SequentialValuesReuseTheMemoryOfVectorsAndStrings) {
    std::vector<std::vector<char>> in{std::vector<char>(1 << 16, 'a'), std::vector<char>(7, 'x'),
                                      std::vector<char>(1 << 16, 'b'), std::vector<char>(1 << 16, 'c')};
    Bytes bytes;
    encode_values<std::vector<char>>(bytes, in.size(),
                                     [&](std::uint64_t k) -> std::vector<char> const& { return in[k]; });
    SequentialValues<std::vector<char>> values(bytes, in.size());
    std::vector<char> const& first = values.take_ref(0);
    EXPECT_EQ(first, in[0]);
    char const* const memory = first.data();
    std::vector<char> const& third = values.take_ref(2);  // value 1 (shorter) is passed over in it
    EXPECT_EQ(third, in[2]);
    EXPECT_EQ(third.data(), memory);  // no new memory for a value of the same size
    EXPECT_EQ(values.take_ref(3), in[3]);

    // A type whose load may append to what is there gets a fresh value each time.
    std::vector<Archived> archived{{"a", {1}}, {"b", {2, 3}}};
    Bytes archived_bytes;
    encode_values<Archived>(archived_bytes, archived.size(),
                            [&](std::uint64_t k) -> Archived const& { return archived[k]; });
    SequentialValues<Archived> archived_values(archived_bytes, archived.size());
    EXPECT_EQ(archived_values.take_ref(0), archived[0]);
    EXPECT_EQ(archived_values.take_ref(1), archived[1]);
}
