/// @file
/// @brief The rules a farm call's function and types must follow, each checked by one
/// static_assert with a plain sentence, before anything else is instantiated (so the sentence is
/// the first error, not the last of a hundred).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/serialization.hpp>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/detail/inputs.hpp>

namespace taskfarm::detail {

namespace serialize_probe {

// Boost's catch-all `serialize(Archive&, T&, unsigned)` matches every type (it calls the member
// serialize). This overload is more specialized than the catch-all, so it wins when the catch-all
// is the only other candidate, and it is ambiguous with any real non-intrusive serialize (in T's
// namespace or in boost::serialization, which the version_type argument brings in by ADL, as in
// Boost's own call). Well-formed: no free serialize for T.
struct OnlyCatchAll {};
template <class T>
OnlyCatchAll serialize(boost::archive::binary_oarchive&, T&, unsigned int);

template <class T>
concept only_catch_all = requires(boost::archive::binary_oarchive& ar, T& t) {
    { serialize(ar, t, std::declval<boost::serialization::version_type>()) } -> std::same_as<OnlyCatchAll>;
};

}  // namespace serialize_probe

template <class T>
concept has_member_serialize = requires(T& t, boost::archive::binary_oarchive& ar) {
    t.serialize(ar, 0u);
};

template <class T>
concept has_free_serialize = !serialize_probe::only_catch_all<T>;

/// Whether a value of T can cross the wire: raw bytes, a primitive or string Boost handles, a
/// serialize member, or a non-intrusive serialize (which covers the std containers whose Boost
/// header is included). A few containers are looked into, so `std::vector<NoSerialize>` is caught.
template <class T>
struct Serializable : std::bool_constant<is_raw_v<T> || std::is_arithmetic_v<T> || std::is_enum_v<T> ||
                                         std::is_same_v<T, std::string> || std::is_same_v<T, std::wstring> ||
                                         has_member_serialize<T> || has_free_serialize<T>> {};
template <class T, class A>
struct Serializable<std::vector<T, A>> : Serializable<T> {};
template <class T>
struct Serializable<std::optional<T>> : Serializable<T> {};
template <class A, class B>
struct Serializable<std::pair<A, B>> : std::bool_constant<Serializable<A>::value && Serializable<B>::value> {};
template <class K, class V, class C, class A>
struct Serializable<std::map<K, V, C, A>> : std::bool_constant<Serializable<K>::value && Serializable<V>::value> {};

template <class T>
inline constexpr bool serializable_v = Serializable<std::remove_cv_t<T>>::value;

/// The input type tasks receive (std::size_t for indices).
template <class Inputs>
using input_of_t = typename InputTraits<Inputs>::value_type;

template <class Fn, class Inputs>
inline constexpr bool callable_with_input_v = std::is_invocable_v<Fn&, input_of_t<Inputs> const&>;

/// The result type, or `void` where fn cannot be called (the checks then say why).
template <class Fn, class Inputs, bool = callable_with_input_v<Fn, Inputs>>
struct CheckedResult {
    using type = void;
};
template <class Fn, class Inputs>
struct CheckedResult<Fn, Inputs, true> {
    using type = std::decay_t<std::invoke_result_t<Fn&, input_of_t<Inputs> const&>>;
};

// clang-format off
#define TASKFARM_NO_SERIALIZE_ADVICE                                                                 \
    "; give it a member `template <class Archive> void serialize(Archive& ar, unsigned) { ar & a & " \
    "b; }`, make it trivially copyable, or use a type Boost.Serialization knows (and include its "   \
    "boost/serialization header)"
// clang-format on

/// The rules of map and for_each (void results allowed) and map_reduce (a value to fold). Each
/// static_assert fires only if every earlier rule holds, so the first broken rule is the one
/// reported. Returns whether all hold, for the caller's `if constexpr`.
template <class Fn, class Inputs, bool needs_value>
consteval bool check_task() {
    using In = input_of_t<Inputs>;
    constexpr bool callable = callable_with_input_v<Fn, Inputs>;
    constexpr bool takes_mutable_ref = !callable && std::is_invocable_v<Fn&, In&>;
    static_assert(callable || !takes_mutable_ref,
                  "taskfarm: the function takes its input by non-const reference; take it by value or "
                  "by const reference (each task gets a copy of its input, which changes nowhere else)");
    static_assert(callable || takes_mutable_ref,
                  "taskfarm: the function cannot be called with one input (the inputs' element type; "
                  "std::size_t for taskfarm::indices(n))");
    using R = typename CheckedResult<Fn, Inputs>::type;
    constexpr bool input_ok = !InputTraits<Inputs>::has_payload || serializable_v<In>;
    static_assert(
        !callable || input_ok,
        "taskfarm: the input type cannot be sent to other ranks: it has no serialize()" TASKFARM_NO_SERIALIZE_ADVICE);
    constexpr bool void_ok = !(needs_value && std::is_void_v<R>);
    static_assert(!callable || !input_ok || void_ok,
                  "taskfarm: map_reduce folds the results, so the function must return a value; use "
                  "map or for_each for a function that returns void");
    constexpr bool constructible = std::is_void_v<R> || std::is_default_constructible_v<R>;
    static_assert(!callable || !input_ok || !void_ok || constructible,
                  "taskfarm: the result type must be default-constructible (results are made empty, "
                  "then filled in as they arrive)");
    constexpr bool result_ok = std::is_void_v<R> || serializable_v<R>;
    static_assert(!callable || !input_ok || !void_ok || !constructible || result_ok,
                  "taskfarm: the result type cannot be sent back to the root: it has no "
                  "serialize()" TASKFARM_NO_SERIALIZE_ADVICE);
    return callable && input_ok && void_ok && constructible && result_ok;
}

/// map_reduce's accumulator (the type of `init`) travels as partial folds and is made empty first.
template <class T>
consteval bool check_accumulator() {
    static_assert(std::is_default_constructible_v<T>,
                  "taskfarm: the map_reduce accumulator (the type of init) must be default-constructible");
    static_assert(!std::is_default_constructible_v<T> || serializable_v<T>,
                  "taskfarm: the map_reduce accumulator (the type of init) cannot be sent to the root: it "
                  "has no serialize()" TASKFARM_NO_SERIALIZE_ADVICE);
    return std::is_default_constructible_v<T> && serializable_v<T>;
}

#undef TASKFARM_NO_SERIALIZE_ADVICE

}  // namespace taskfarm::detail
