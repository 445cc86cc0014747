/// @file
/// @brief Function adapters behind the convenience calls: shared data (fn(shared, input)), starmap
/// (fn(args...) from a tuple) and imap's windows (a window's task k is task offset + k).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include <taskfarm/detail/inputs.hpp>
#include <taskfarm/detail/task_checks.hpp>

namespace taskfarm::detail {

/// fn(shared, input): the call's shared value bound in front of each input.
template <class Fn, class S>
struct BindShared {
    Fn& fn;
    S const& shared;
    template <class In>
    requires std::is_invocable_v<Fn&, S const&, In const&>
    decltype(auto) operator()(In const& in) const { return std::invoke(fn, shared, in); }
};

/// One starmap input: a tuple (or pair) of arguments, serialized element by element (Boost 1.74
/// has no std::tuple serializer).
template <class Tuple>
struct PackedArgs {
    Tuple values;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        // clang-format off
        std::apply([&ar](auto&... element) { ((ar & element), ...); }, values);
        // clang-format on
    }
};

template <class Tuple>
    struct Serializable<PackedArgs<Tuple>> : std::bool_constant < []<std::size_t... I>(std::index_sequence<I...>) {
    return (serializable_v<std::tuple_element_t<I, Tuple>> && ...);
}(std::make_index_sequence<std::tuple_size_v<Tuple>>{}) > {};

template <class Fn, class Tuple>
inline constexpr bool applicable_v = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::is_invocable_v<Fn&, std::tuple_element_t<I, Tuple> const&...>;
}
(std::make_index_sequence<std::tuple_size_v<Tuple>>{});

/// fn(std::get<0>(t), std::get<1>(t), ...) for a PackedArgs input.
template <class Fn>
struct Unpack {
    Fn& fn;
    template <class Tuple>
    requires applicable_v<Fn, Tuple>
    decltype(auto) operator()(PackedArgs<Tuple> const& args) const { return std::apply(fn, args.values); }
};

/// Tasks [first, first + count) of `inputs`, as a call of their own (one imap window).
template <class Inputs>
struct WindowInputs {
    Inputs const* inputs = nullptr;
    std::uint64_t first = 0;
    std::uint64_t count = 0;
};

template <class Inputs>
struct InputTraits<WindowInputs<Inputs>> {
    using Inner = InputTraits<Inputs>;
    using value_type = typename Inner::value_type;
    static constexpr bool has_payload = Inner::has_payload;
    static std::uint64_t size(WindowInputs<Inputs> const& w) { return w.count; }
    static decltype(auto) get(WindowInputs<Inputs> const& w, std::uint64_t i) {
        return Inner::get(*w.inputs, w.first + i);
    }
};

/// A window's function: index inputs carry no payload, so a window's task k gets index first + k
/// here (every rank knows the window's first task); other inputs arrive as they are.
template <class Fn, class Inputs>
struct WindowFn {
    Fn& fn;
    std::uint64_t first = 0;
    template <class In>
    requires std::is_invocable_v<Fn&, In const&>
    decltype(auto) operator()(In const& in) const {
        if constexpr (InputTraits<Inputs>::has_payload) {
            return std::invoke(fn, in);
        } else {
            return std::invoke(fn, static_cast<std::size_t>(first + in));
        }
    }
};

}  // namespace taskfarm::detail
