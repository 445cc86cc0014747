/// @file
/// @brief Whether every byte of a trivially copyable type belongs to its value: no padding, no
/// unused bits. A journal identifies inputs by their encoded bytes, and the padding of a struct
/// holds whatever the memory held before, so a type sent as raw bytes may only be journaled when
/// this can be shown at compile time.
///
/// Shown for: arithmetic types (not the x87 `long double`, 10 bytes of value in 16), enums, types
/// with std::has_unique_object_representations, arrays and std::complex of such types, and
/// aggregates (up to 32 initializers) whose fields, found by brace-initialization the way
/// Boost.PFR finds them, are all padding-free and add up to the whole object. Everything else
/// counts as "may have padding". Bit-fields are not seen (a field `unsigned a : 1` counts as a whole
/// `unsigned`): a type with bit-fields needs a serialize() to be journaled.
#pragma once

#include <complex>
#include <cstddef>
#include <limits>
#include <type_traits>
#include <utility>

namespace taskfarm::detail {

template <class T>
constexpr bool padding_free();

/// True where padding_free<T>() can show that T has no padding.
template <class T>
inline constexpr bool is_padding_free_v = padding_free<T>();

namespace padding {

/// Converts to any field type: brace-initializing T with N of these compiles iff T takes N
/// initializers (fields, with C arrays counted element by element). Never called.
struct AnyField {
    template <class U>
    operator U() const noexcept;
};

/// Converts only to padding-free types of at least `Size` bytes: at position I of an initializer
/// list it tells whether field I is padding-free and at least that large. "At least" matters: where
/// the conversion is refused, brace elision tries the field's own first member, which is smaller,
/// so it cannot make a field look larger than it is.
template <std::size_t Size>
struct PaddingFreeField {
    template <class U>
    requires(sizeof(U) >= Size && is_padding_free_v<U>) operator U() const noexcept;
};

template <std::size_t>
using any_field_t = AnyField;

/// Whether T{AnyField x N} compiles.
template <class T, std::size_t... I>
constexpr bool takes(std::index_sequence<I...>) {
    return requires { T{any_field_t<I>{}...}; };
}
template <class T, std::size_t N>
inline constexpr bool takes_v = takes<T>(std::make_index_sequence<N>{});

/// Whether T{AnyField x Before, PaddingFreeField<Size>} compiles: field Before is padding-free and
/// at least Size bytes.
template <class T, std::size_t Size, std::size_t... Before>
constexpr bool field_fits(std::index_sequence<Before...>) {
    return requires { T{any_field_t<Before>{}..., PaddingFreeField<Size>{}}; };
}

inline constexpr std::size_t max_fields = 32;

/// The number of initializers T takes (binary search: taking N implies taking fewer).
template <class T, std::size_t Low = 0, std::size_t High = max_fields>
constexpr std::size_t field_count() {
    if constexpr (Low == High) {
        return Low;
    } else {
        constexpr std::size_t mid = (Low + High + 1) / 2;
        if constexpr (takes_v<T, mid>) {
            return field_count<T, mid, High>();
        } else {
            return field_count<T, Low, mid - 1>();
        }
    }
}

/// The size of field I if it is padding-free, else 0 (at most its size: the largest size bound
/// field_fits accepts, by binary search).
template <class T, std::size_t I, std::size_t Low = 0, std::size_t High = sizeof(T)>
constexpr std::size_t padding_free_field_size() {
    if constexpr (Low == High) {
        return Low;
    } else {
        constexpr std::size_t mid = (Low + High + 1) / 2;
        if constexpr (field_fits<T, mid>(std::make_index_sequence<I>{})) {
            return padding_free_field_size<T, I, mid, High>();
        } else {
            return padding_free_field_size<T, I, Low, mid - 1>();
        }
    }
}

template <class T, std::size_t... I>
constexpr bool fields_fill_object(std::index_sequence<I...>) {
    constexpr std::size_t sizes[] = {padding_free_field_size<T, I>()..., 1};
    std::size_t sum = 0;
    for (std::size_t i = 0; i < sizeof...(I); ++i) {
        if (sizes[i] == 0) return false;  // a field that may have padding, or that we cannot see
        sum += sizes[i];
    }
    return sum == sizeof(T);
}

template <class T>
constexpr bool aggregate_padding_free() {
    if constexpr (takes_v<T, max_fields + 1>) {
        return false;  // too many initializers to check at a reasonable compile-time cost
    } else {
        constexpr std::size_t n = field_count<T>();
        if constexpr (n == 0) {
            return false;  // an empty struct is one byte of padding
        } else {
            return fields_fill_object<T>(std::make_index_sequence<n>{});
        }
    }
}

template <class T>
struct IsComplex : std::false_type {};
template <class F>
struct IsComplex<std::complex<F>> : std::true_type {};

}  // namespace padding

template <class T>
constexpr bool padding_free() {
    using U = std::remove_cv_t<T>;
    if constexpr (std::is_same_v<U, long double>) {
        // x86's 80-bit extended format keeps its value in 10 of its 16 bytes.
        return std::numeric_limits<long double>::digits != 64;
    } else if constexpr (std::is_arithmetic_v<U> || std::is_enum_v<U> || std::has_unique_object_representations_v<U>) {
        return true;
    } else if constexpr (std::is_array_v<U>) {
        return std::extent_v<U> > 0 && padding_free<std::remove_extent_t<U>>();
    } else if constexpr (padding::IsComplex<U>::value) {
        return padding_free<typename U::value_type>() && sizeof(U) == 2 * sizeof(typename U::value_type);
    } else if constexpr (std::is_class_v<U> && std::is_aggregate_v<U> && std::is_trivially_copyable_v<U>) {
        return padding::aggregate_padding_free<U>();
    } else {
        return false;  // unions (the bytes past the active member), pointers, classes we cannot see into
    }
}

}  // namespace taskfarm::detail
