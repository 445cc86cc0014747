/// @file
/// @brief How a block of values becomes bytes and back: raw bytes for plain data (see is_raw_v),
/// one Boost binary archive per block for everything else. Never one archive per task.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <streambuf>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/core/demangle.hpp>
#include <boost/serialization/is_bitwise_serializable.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <taskfarm/detail/padding.hpp>

// Boost 1.74 serializes boost::optional only; the engine folds into std::optional.
namespace boost::serialization {
template <class Archive, class T>
void save(Archive& ar, std::optional<T> const& value, unsigned) {
    bool const has_value = value.has_value();
    ar << has_value;
    if (has_value) ar << *value;
}
template <class Archive, class T>
void load(Archive& ar, std::optional<T>& value, unsigned) {
    bool has_value = false;
    ar >> has_value;
    if (!has_value) {
        value.reset();
        return;
    }
    T v;
    ar >> v;
    value = std::move(v);
}
template <class Archive, class T>
void serialize(Archive& ar, std::optional<T>& value, unsigned version) {
    split_free(ar, value, version);
}
}  // namespace boost::serialization

namespace taskfarm::detail {

/// An allocator that leaves new elements uninitialized: a message buffer resized to receive a
/// megabyte is about to be overwritten, and zero-filling it first would cost a pass over memory.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitializedAllocator<U>;
    };
    UninitializedAllocator() = default;
    template <class U>
    UninitializedAllocator(UninitializedAllocator<U> const&) noexcept {}
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

using Bytes = std::vector<std::byte, UninitializedAllocator<std::byte>>;
using ByteView = std::span<std::byte const>;

namespace serialize_probe {

/// As generic as Boost's default boost::serialization::serialize (which forwards to a member):
/// with both in the overload set, a call is ambiguous unless the type has a free serialize of its
/// own, which is more specialized and wins.
struct Generic {};
template <class Archive, class T>
Generic serialize(Archive&, T&, unsigned int const);

/// A free serialize(Archive&, T&, unsigned) for T: in T's namespace or in boost::serialization
/// (found as Boost finds it, through the namespace of boost::serialization::version_type).
template <class T>
concept has_free_serialize = requires(boost::archive::binary_oarchive& ar, T& t, boost::serialization::version_type v) {
    serialize(ar, t, v);
};

/// A member named `serialize`, public or private (Boost's idiom makes it private and befriends
/// boost::serialization::access): looking the name up in a class derived from T and from a class
/// with its own `serialize` is ambiguous exactly when T has one.
struct HasSerialize {
    void serialize();
};
template <class T>
struct Both : T, HasSerialize {};
template <class T>
concept finds_only_ours = requires {
    &Both<T>::serialize;
};
template <class T>
concept has_public_member_serialize = requires(T& t, boost::archive::binary_oarchive& ar) {
    t.serialize(ar, 0u);
};

template <class T>
constexpr bool has_member_serialize() {
    if constexpr (!std::is_class_v<T>) {
        return false;
    } else if constexpr (std::is_final_v<T>) {
        return has_public_member_serialize<T>;  // a final class cannot be derived from
    } else {
        return !finds_only_ours<T>;
    }
}

}  // namespace serialize_probe

/// Whether T's author wrote how it is serialized (a serialize member or free function).
template <class T>
inline constexpr bool has_own_serialize_v =
    serialize_probe::has_member_serialize<T>() || serialize_probe::has_free_serialize<T>;

/// Types that cross the wire as their object representation: trivially copyable types that either
/// opt into it (boost::serialization::is_bitwise_serializable, true for arithmetic types) or have
/// no serialize() of their own. A type whose author wrote a serialize() goes through it, so what
/// travels (and what a journal hashes) is what the author chose to write. Both ends run the same
/// build, so the layout agrees; pointers are excluded because an address means nothing on another
/// rank.
template <class T>
constexpr bool raw_encoding() {
    if constexpr (!std::is_trivially_copyable_v<T> || std::is_pointer_v<T> || std::is_member_pointer_v<T>) {
        return false;
    } else {
        return boost::serialization::is_bitwise_serializable<T>::value || !has_own_serialize_v<T>;
    }
}
template <class T>
inline constexpr bool is_raw_v = raw_encoding<T>();

/// Whether a value's encoding depends on its value alone, so that equal inputs hash equal in a
/// journal: archived types (their serialize() writes values), and raw types without padding. A
/// raw type that may have padding carries whatever bytes the padding held.
template <class T>
constexpr bool value_identity() {
    if constexpr (is_raw_v<T>) {
        return is_padding_free_v<T>;
    } else {
        return true;
    }
}
template <class T>
inline constexpr bool has_value_identity_v = value_identity<T>();

/// Why inputs of type T cannot be journaled (empty when they can), with what to do about it.
template <class T>
std::string journal_value_problem() {
    if constexpr (has_value_identity_v<T>) {
        return {};
    } else {
        std::string const name = boost::core::demangle(typeid(T).name());
        if constexpr (std::is_arithmetic_v<T>) {
            // clang-format off
            return "the input type " + name + " keeps its value in fewer bytes than it occupies, and the others " +
                   "hold whatever the memory held, so they cannot identify the inputs of a resumed run. Use double";
        } else {
            constexpr bool opted_in = boost::serialization::is_bitwise_serializable<T>::value;
            return "the input type " + name +
                   (opted_in ? " opts into raw bytes (boost::serialization::is_bitwise_serializable)"
                             : " is trivially copyable and has no serialize() of its own, so it travels as raw bytes,") +
                   " and may hold padding: those bytes hold whatever the memory held, so they cannot identify the "
                   "inputs of a resumed run. Give " + name +
                   " a serialize() (template <class Ar> void serialize(Ar& ar, unsigned) { ar & field1 & field2; })" +
                   (opted_in ? " and drop the opt-in" : "") +
                   ", or lay it out without padding (std::has_unique_object_representations_v, or an aggregate of "
                   "padding-free fields that fill it)";
            // clang-format on
        }
    }
}

/// A streambuf that appends to a Bytes (for writing archives without a copy through a string).
class AppendBuf final : public std::streambuf {
public:
    explicit AppendBuf(Bytes& out) : out_(out) {}

protected:
    std::streamsize xsputn(char const* s, std::streamsize n) override {
        auto const* p = reinterpret_cast<std::byte const*>(s);
        out_.insert(out_.end(), p, p + n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) out_.push_back(static_cast<std::byte>(c));
        return traits_type::not_eof(c);
    }

private:
    Bytes& out_;
};

/// A streambuf that reads a byte view in place.
class ViewBuf final : public std::streambuf {
public:
    explicit ViewBuf(ByteView in) {
        auto* p = const_cast<char*>(reinterpret_cast<char const*>(in.data()));
        setg(p, p, p + in.size());
    }
};

inline constexpr unsigned archive_flags = boost::archive::no_header | boost::archive::no_codecvt;

/// Appends `count` values, the k-th being `get(k)`, to `out`.
template <class T, class Get>
void encode_values(Bytes& out, std::uint64_t count, Get&& get) {
    if constexpr (is_raw_v<T>) {
        std::size_t const at = out.size();
        out.resize(at + count * sizeof(T));
        for (std::uint64_t k = 0; k < count; ++k) {
            T const value = get(k);
            std::memcpy(out.data() + at + k * sizeof(T), &value, sizeof(T));
        }
    } else {
        AppendBuf buf(out);
        boost::archive::binary_oarchive archive(buf, archive_flags);
        for (std::uint64_t k = 0; k < count; ++k) {
            T const& value = get(k);
            archive << value;
        }
    }
}

[[noreturn]] void throw_block_size_mismatch(std::size_t got, std::size_t expected);

/// Appends `count` values to `out` one at a time, as they are made: a block's results need not all
/// be alive at once before they are encoded (a megabyte vector<char> each), and after the first
/// value the buffer is reserved for `count` of its size, so a large block is not copied again and
/// again as the buffer grows (each fresh buffer also costs a page fault per 4 KiB).
template <class T>
class ValueWriter {
public:
    ValueWriter(Bytes& out, std::uint64_t count) : out_(out), buf_(out), count_(count), start_(out.size()) {
        if constexpr (is_raw_v<T>) {
            out_.reserve(start_ + count * sizeof(T));
        } else {
            archive_.emplace(buf_, archive_flags);
        }
    }
    ValueWriter(ValueWriter const&) = delete;
    ValueWriter& operator=(ValueWriter const&) = delete;

    void put(T const& value) {
        if constexpr (is_raw_v<T>) {
            std::size_t const at = out_.size();
            out_.resize(at + sizeof(T));
            std::memcpy(out_.data() + at, &value, sizeof(T));
        } else {
            *archive_ << value;  // AppendBuf does not buffer: the bytes are in out_ now
            if (++written_ == 1 && count_ > 1) {
                std::size_t const first = out_.size() - start_;
                // Only where the guess is modest: a first value far larger than the rest must not
                // reserve gigabytes.
                if (first <= (std::size_t{1} << 30) / count_) out_.reserve(out_.size() + first * (count_ - 1));
            }
        }
    }

private:
    Bytes& out_;
    AppendBuf buf_;
    std::optional<boost::archive::binary_oarchive> archive_;
    std::uint64_t count_;
    std::size_t start_;
    std::uint64_t written_ = 0;
};

/// Whether decoding into an object that already holds a value yields exactly the decoded value and
/// reuses the object's memory: vectors of arithmetic values and strings, which Boost resizes and
/// overwrites. Not assumed of other types: a user's load() may append to what is there.
template <class T>
struct reloads_in_place : std::false_type {};
template <class U, class A>
struct reloads_in_place<std::vector<U, A>> : std::is_arithmetic<U> {};
template <class C, class Tr, class A>
struct reloads_in_place<std::basic_string<C, Tr, A>> : std::true_type {};

/// The values of one block, decoded one at a time in order (take(k) with k increasing; values
/// passed over are decoded and dropped): each is decoded straight from the received message into
/// the value handed on, and only one is alive at a time, where DecodedValues holds the whole
/// block's (a block of a hundred megabyte results would take fresh memory, page by page, every
/// time). For consuming results; inputs, which tasks read in any order, use DecodedValues.
template <class T>
class SequentialValues {
public:
    SequentialValues(ByteView in, std::uint64_t count) : in_(in), buf_(in) {
        if constexpr (is_raw_v<T>) {
            if (in.size() != count * sizeof(T)) throw_block_size_mismatch(in.size(), count * sizeof(T));
        } else {
            (void)count;
            archive_.emplace(buf_, archive_flags);
        }
    }
    SequentialValues(SequentialValues const&) = delete;
    SequentialValues& operator=(SequentialValues const&) = delete;

    [[nodiscard]] T take(std::uint64_t k) {
        if constexpr (is_raw_v<T>) {
            T value;
            std::memcpy(static_cast<void*>(&value), in_.data() + k * sizeof(T), sizeof(T));
            return value;
        } else {
            for (; next_ < k; ++next_) {
                T skipped;
                *archive_ >> skipped;
            }
            ++next_;
            T value;
            *archive_ >> value;
            return value;
        }
    }

    /// The k-th value in an object of this reader's, valid until the next call. Where that is
    /// exact (reloads_in_place) it is decoded into the memory of the previous value, so results of
    /// a megabyte that the consumer only reads need no fresh (zeroed, faulted-in) memory each; a
    /// consumer may also move it away.
    [[nodiscard]] T& take_ref(std::uint64_t k) {
        if constexpr (!is_raw_v<T> && reloads_in_place<T>::value) {
            for (; next_ <= k; ++next_) *archive_ >> current_;
        } else {
            current_ = take(k);
        }
        return current_;
    }

private:
    ByteView in_;
    ViewBuf buf_;
    std::optional<boost::archive::binary_iarchive> archive_;
    std::uint64_t next_ = 0;
    T current_{};
};

/// Appends one value.
template <class T>
void encode_value(Bytes& out, T const& value) {
    encode_values<T>(out, 1, [&](std::uint64_t) -> T const& { return value; });
}

/// The values of one block, decoded lazily (raw types) or all at once (archived types).
template <class T>
class DecodedValues {
public:
    DecodedValues(ByteView in, std::uint64_t count) : in_(in) {
        if constexpr (is_raw_v<T>) {
            if (in.size() != count * sizeof(T)) throw_size_mismatch(in.size(), count * sizeof(T));
        } else {
            values_.resize(count);
            ViewBuf buf(in);
            boost::archive::binary_iarchive archive(buf, archive_flags);
            for (auto& v : values_) archive >> v;
        }
    }

    /// The k-th value (a copy for raw types: the bytes may not be aligned for T).
    [[nodiscard]] decltype(auto) operator[](std::uint64_t k) const {
        if constexpr (is_raw_v<T>) {
            T value;
            std::memcpy(static_cast<void*>(&value), in_.data() + k * sizeof(T), sizeof(T));
            return value;
        } else {
            return static_cast<T const&>(values_[k]);
        }
    }

    /// Moves the k-th value out (archived types) or copies it (raw types).
    [[nodiscard]] T take(std::uint64_t k) {
        if constexpr (is_raw_v<T>) {
            return (*this)[k];
        } else {
            return std::move(values_[k]);
        }
    }

private:
    [[noreturn]] static void throw_size_mismatch(std::size_t got, std::size_t expected);
    ByteView in_;
    std::vector<T> values_;
};

[[noreturn]] void throw_block_size_mismatch(std::size_t got, std::size_t expected);

template <class T>
void DecodedValues<T>::throw_size_mismatch(std::size_t got, std::size_t expected) {
    throw_block_size_mismatch(got, expected);
}

/// Decodes a single value.
template <class T>
T decode_value(ByteView in) {
    DecodedValues<T> values(in, 1);
    return values.take(0);
}

}  // namespace taskfarm::detail
