// Which types travel as raw bytes and which through their serialize() (issue 9), and why that
// matters to a journal: the encoding of a value must depend on the value alone, never on the
// garbage in its padding.
#include <gtest/gtest.h>

#include <array>
#include <complex>
#include <cstring>
#include <new>
#include <optional>
#include <string>

#include <boost/serialization/is_bitwise_serializable.hpp>

#include <taskfarm/detail/codec.hpp>

using namespace taskfarm::detail;

namespace identity_test {

// The example: padded (4 bytes after id), with the author's serialize().
struct Job {
    int id = 0;
    double x = 0;
    template <class Ar>
    void serialize(Ar& ar, unsigned) {
        // clang-format off
        ar & id & x;
        // clang-format on
    }
};

// Boost's idiom: a private serialize, befriending boost::serialization::access.
class Private {
public:
    int id = 0;
    double x = 0;

private:
    friend class boost::serialization::access;
    template <class Ar>
    void serialize(Ar& ar, unsigned) {
        // clang-format off
        ar & id & x;
        // clang-format on
    }
};

// A free serialize beside the type, found by ADL.
struct FreeAdl {
    int id = 0;
    double x = 0;
};
template <class Ar>
void serialize(Ar& ar, FreeAdl& v, unsigned) {
    // clang-format off
    ar & v.id & v.x;
    // clang-format on
}

// A free serialize in boost::serialization (declared below, after this type, as users do).
struct FreeBoost {
    int id = 0;
    double x = 0;
};

// Opts into raw bytes: serialize() exists but the author asks for the object bytes.
struct OptedIn {
    long id = 0;
    double x = 0;
    template <class Ar>
    void serialize(Ar& ar, unsigned) {
        // clang-format off
        ar & id & x;
        // clang-format on
    }
};

// Final classes cannot be derived from, which the private-member probe does: a public one is found.
struct FinalJob final {
    int id = 0;
    double x = 0;
    template <class Ar>
    void serialize(Ar& ar, unsigned) {
        // clang-format off
        ar & id & x;
        // clang-format on
    }
};
struct FinalPlain final {
    int id = 0;
    double x = 0;
};

struct Padded {  // no serialize: raw, and 4 bytes of padding
    int id = 0;
    double x = 0;
};
struct Unpadded {
    long id = 0;
    double x = 0;
};
struct TwoDoubles {
    double a = 0, b = 0;
};
struct Nested {
    TwoDoubles d;
    long n = 0;
};
struct NestedPadded {
    Padded p;
    long n = 0;
};
struct WithArray {
    int a[2] = {};
    double x = 0;
};
struct ShortArray {
    char c[3] = {};
    int x = 0;
};
struct Empty {};
union Either {
    double d;
    char c;
};
enum class Colour : int { red, green };

}  // namespace identity_test

namespace boost::serialization {
template <class Ar>
void serialize(Ar& ar, identity_test::FreeBoost& v, unsigned) {
    // clang-format off
    ar & v.id & v.x;
    // clang-format on
}
}  // namespace boost::serialization
BOOST_IS_BITWISE_SERIALIZABLE(identity_test::OptedIn)

using namespace identity_test;

TEST(InputIdentity, ATypeWithItsOwnSerializeGoesThroughIt) {
    static_assert(has_own_serialize_v<Job> && !is_raw_v<Job>);
    static_assert(has_own_serialize_v<Private> && !is_raw_v<Private>);
    static_assert(has_own_serialize_v<FreeAdl> && !is_raw_v<FreeAdl>);
    static_assert(has_own_serialize_v<FreeBoost> && !is_raw_v<FreeBoost>);
    static_assert(has_own_serialize_v<FinalJob> && !is_raw_v<FinalJob>);
    static_assert(!is_raw_v<std::optional<double>>);  // trivially copyable, padded, serialized by codec.hpp
}

TEST(InputIdentity, PlainDataAndOptedInTypesTravelRaw) {
    static_assert(is_raw_v<int> && is_raw_v<double> && is_raw_v<bool> && is_raw_v<Colour>);
    static_assert(is_raw_v<Padded> && is_raw_v<Unpadded> && is_raw_v<std::array<double, 3>> && is_raw_v<FinalPlain>);
    static_assert(has_own_serialize_v<OptedIn> && is_raw_v<OptedIn>);
    static_assert(!has_own_serialize_v<Padded> && !has_own_serialize_v<int>);
    static_assert(!is_raw_v<int*> && !is_raw_v<std::string>);
}

TEST(InputIdentity, PaddingIsFoundWhereItCanBe) {
    static_assert(is_padding_free_v<int> && is_padding_free_v<double> && is_padding_free_v<Colour>);
    static_assert(is_padding_free_v<Unpadded> && is_padding_free_v<TwoDoubles> && is_padding_free_v<Nested>);
    static_assert(is_padding_free_v<WithArray> && is_padding_free_v<std::array<double, 4>>);
    static_assert(is_padding_free_v<std::complex<double>>);
    static_assert(!is_padding_free_v<Padded> && !is_padding_free_v<NestedPadded>);
    static_assert(!is_padding_free_v<ShortArray> && !is_padding_free_v<Empty> && !is_padding_free_v<Either>);
    if constexpr (std::numeric_limits<long double>::digits == 64) static_assert(!is_padding_free_v<long double>);
}

TEST(InputIdentity, OnlyRawTypesThatMayHavePaddingLackAValueIdentity) {
    static_assert(has_value_identity_v<Job> && has_value_identity_v<Unpadded> && has_value_identity_v<TwoDoubles>);
    static_assert(has_value_identity_v<std::string> && has_value_identity_v<std::optional<double>>);
    static_assert(!has_value_identity_v<Padded> && !has_value_identity_v<NestedPadded>);
    EXPECT_EQ(journal_value_problem<Job>(), "");
    std::string const problem = journal_value_problem<Padded>();
    EXPECT_NE(problem.find("identity_test::Padded"), std::string::npos) << problem;
    EXPECT_NE(problem.find("may hold padding"), std::string::npos) << problem;
    EXPECT_NE(problem.find("serialize()"), std::string::npos) << problem;
}

namespace {

/// Encodes T{id, x} built in memory first filled with `garbage`, the way a vector's fresh storage
/// or a stack slot holds whatever was there before.
template <class T>
Bytes encoded_over(unsigned char garbage, int id, double x) {
    alignas(T) unsigned char storage[sizeof(T)];
    std::memset(storage, garbage, sizeof storage);
    T* value = ::new (static_cast<void*>(storage)) T;
    value->id = id;
    value->x = x;
    Bytes out;
    encode_value(out, *value);
    return out;
}

}  // namespace

TEST(InputIdentity, TheEncodingOfASerializedPaddedTypeIgnoresItsPadding) {
    EXPECT_EQ(encoded_over<Job>(0x00, 7, 2.5), encoded_over<Job>(0xff, 7, 2.5));
    EXPECT_EQ(encoded_over<Private>(0x00, 7, 2.5), encoded_over<Private>(0xa5, 7, 2.5));
    // What the journal refuses to hash: the raw bytes of the same value differ with the garbage.
    EXPECT_NE(encoded_over<Padded>(0x00, 7, 2.5), encoded_over<Padded>(0xff, 7, 2.5));
}
