/// @file
/// @brief How an executor task's arguments travel: each argument as its own length-prefixed value
/// in the codec's format (raw bytes for trivially copyable types, a Boost archive otherwise).
#pragma once

#include <cstdint>
#include <cstring>
#include <tuple>
#include <utility>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

/// Appends one argument: its byte length, then its encoding.
template <class T>
void encode_arg(Bytes& out, T const& value) {
    std::size_t const at = out.size();
    out.resize(at + sizeof(std::uint64_t));
    encode_value(out, value);
    std::uint64_t const length = out.size() - at - sizeof(std::uint64_t);
    std::memcpy(out.data() + at, &length, sizeof length);
}

template <class... Ts>
Bytes encode_args(std::tuple<Ts...> const& args) {
    Bytes out;
    std::apply([&out](Ts const&... a) { (encode_arg(out, a), ...); }, args);
    return out;
}

/// Decodes the argument at `at` and moves `at` past it.
template <class T>
T decode_arg(ByteView in, std::size_t& at) {
    std::uint64_t length = 0;
    if (in.size() - at < sizeof length) throw Error("taskfarm: truncated task arguments");
    std::memcpy(&length, in.data() + at, sizeof length);
    at += sizeof length;
    if (in.size() - at < length) throw Error("taskfarm: truncated task arguments");
    T value = decode_value<T>(in.subspan(at, static_cast<std::size_t>(length)));
    at += static_cast<std::size_t>(length);
    return value;
}

template <class... Ts>
std::tuple<Ts...> decode_args(ByteView in) {
    std::size_t at = 0;
    // Braced initialization evaluates the arguments left to right, as they were written.
    std::tuple<Ts...> args{decode_arg<Ts>(in, at)...};
    if (at != in.size()) throw Error("taskfarm: task arguments do not match the function's parameters");
    return args;
}

}  // namespace taskfarm::detail
