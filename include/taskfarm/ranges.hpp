/// @file
/// @brief Inputs that are never stored: an index range, and a generator of inputs.
///
/// @code{.cpp}
/// // tasks 0..n-1; the indices travel as two numbers per chunk
/// auto squares = farm.map([](std::size_t i) { return double(i) * i; }, taskfarm::indices(n));
/// // inputs made on the root as the farm needs them, never all at once
/// auto total = farm.map_reduce(simulate, std::plus<>{},
///                              taskfarm::generate(n, [](std::size_t i) { return Params{0.1 * i}; }), 0.0);
/// @endcode
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

namespace taskfarm {

/// @brief The lazy range 0, 1, ..., n-1. Tasks receive their index (`std::size_t`).
struct IndexRange {
    std::size_t count = 0;
    [[nodiscard]] std::size_t size() const noexcept { return count; }
};

/// @brief The tasks 0..n-1, never stored anywhere.
[[nodiscard]] inline IndexRange indices(std::size_t n) noexcept { return IndexRange{n}; }

/// @brief n inputs made by `make(i)` on the root, in increasing order of i, as the farm needs them.
template <class Make>
struct GeneratedRange {
    std::size_t count = 0;
    Make make;
    using value_type = std::decay_t<std::invoke_result_t<Make&, std::size_t>>;
    [[nodiscard]] std::size_t size() const noexcept { return count; }
    [[nodiscard]] value_type operator[](std::size_t i) const { return make(i); }
};

/// @brief Inputs `make(0)`, ..., `make(n-1)`, generated on the root only, chunk by chunk.
template <class Make>
[[nodiscard]] GeneratedRange<std::decay_t<Make>> generate(std::size_t n, Make&& make) {
    return {n, std::forward<Make>(make)};
}

}  // namespace taskfarm
