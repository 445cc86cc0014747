/// @file
/// @brief What the farm can take as inputs, and how a worker sees one block of them.
#pragma once

#include <cstdint>
#include <ranges>
#include <string>
#include <type_traits>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/ranges.hpp>

namespace taskfarm::detail {

/// Random-access sized ranges (std::vector, std::array, spans, ...) and taskfarm::generate.
template <class Inputs>
struct InputTraits {
    static_assert(std::ranges::random_access_range<Inputs const> && std::ranges::sized_range<Inputs const>,
                  "taskfarm: inputs must be taskfarm::indices(n), taskfarm::generate(n, make) or a "
                  "random-access sized range such as std::vector");
    using value_type = std::ranges::range_value_t<Inputs const>;
    static constexpr bool has_payload = true;
    static std::uint64_t size(Inputs const& in) { return std::ranges::size(in); }
    static decltype(auto) get(Inputs const& in, std::uint64_t i) {
        return std::ranges::begin(in)[static_cast<std::ranges::range_difference_t<Inputs const>>(i)];
    }
};

template <class Make>
struct InputTraits<GeneratedRange<Make>> {
    using value_type = typename GeneratedRange<Make>::value_type;
    static constexpr bool has_payload = true;
    static std::uint64_t size(GeneratedRange<Make> const& in) { return in.size(); }
    static value_type get(GeneratedRange<Make> const& in, std::uint64_t i) { return in[i]; }
};

/// Indices need no payload: a block is its first index and its count.
template <>
struct InputTraits<IndexRange> {
    using value_type = std::size_t;
    static constexpr bool has_payload = false;
    static std::uint64_t size(IndexRange const& in) { return in.size(); }
    static std::size_t get(IndexRange const&, std::uint64_t i) { return static_cast<std::size_t>(i); }
};

/// One block of inputs on the rank that runs it: element k is task first + k.
template <class Inputs>
class InputBlock {
    using Traits = InputTraits<Inputs>;
    using T = typename Traits::value_type;

public:
    InputBlock(std::uint64_t first, std::uint64_t count, ByteView bytes)
        : first_(first), values_(make_values(bytes, count)) {}

    [[nodiscard]] decltype(auto) operator[](std::uint64_t k) const {
        if constexpr (Traits::has_payload) {
            return values_[k];
        } else {
            return static_cast<std::size_t>(first_ + k);
        }
    }

private:
    struct NoValues {};
    using Values = std::conditional_t<Traits::has_payload, DecodedValues<T>, NoValues>;
    static Values make_values(ByteView bytes, std::uint64_t count) {
        if constexpr (Traits::has_payload) {
            return Values(bytes, count);
        } else {
            return NoValues{};
        }
    }

    std::uint64_t first_;
    Values values_;
};

/// Why the inputs of `Inputs` cannot be journaled, or empty (indices have no payload to identify).
template <class Inputs>
std::string journal_inputs_problem() {
    using Traits = InputTraits<Inputs>;
    if constexpr (Traits::has_payload) {
        return journal_value_problem<typename Traits::value_type>();
    } else {
        return {};
    }
}

/// Appends the encoded inputs [first, first + count) of `in` (nothing for index ranges).
template <class Inputs>
void encode_inputs(Inputs const& in, std::uint64_t first, std::uint64_t count, Bytes& out) {
    using Traits = InputTraits<Inputs>;
    if constexpr (Traits::has_payload) {
        encode_values<typename Traits::value_type>(
            out, count, [&](std::uint64_t k) -> decltype(auto) { return Traits::get(in, first + k); });
    }
}

/// Appends the encoded inputs [sub_first, sub_first + sub_count) taken from the encoded block
/// [first, first + count) `bytes` (a sub-master farming a block out again; nothing for indices).
template <class Inputs>
void slice_inputs(std::uint64_t first, std::uint64_t count, ByteView bytes, std::uint64_t sub_first,
                  std::uint64_t sub_count, Bytes& out) {
    using Traits = InputTraits<Inputs>;
    if constexpr (Traits::has_payload) {
        InputBlock<Inputs> const block(first, count, bytes);
        encode_values<typename Traits::value_type>(
            out, sub_count, [&](std::uint64_t k) -> decltype(auto) { return block[sub_first - first + k]; });
    }
}

}  // namespace taskfarm::detail
