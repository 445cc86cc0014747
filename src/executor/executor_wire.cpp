#include "executor/executor_wire.hpp"

#include <cstring>

#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

namespace {
template <class T>
void put(Bytes& out, T value) {
    auto const* p = reinterpret_cast<std::byte const*>(&value);
    out.insert(out.end(), p, p + sizeof(T));
}

template <class T>
T take(ByteView in, std::size_t& at) {
    if (in.size() - at < sizeof(T)) throw Error("taskfarm: truncated executor message");
    T value;
    std::memcpy(&value, in.data() + at, sizeof(T));
    at += sizeof(T);
    return value;
}

ByteView take_bytes(ByteView in, std::size_t& at, std::uint64_t length) {
    if (in.size() - at < length) throw Error("taskfarm: truncated executor message");
    ByteView const view = in.subspan(at, static_cast<std::size_t>(length));
    at += static_cast<std::size_t>(length);
    return view;
}

constexpr std::size_t kCountOffset = sizeof(std::uint32_t);
}  // namespace

RecordWriter::RecordWriter(Bytes& out, ExecutorMessage kind) : out_(out) {
    out_.clear();
    put(out_, static_cast<std::uint32_t>(kind));
    put(out_, std::uint32_t{0});
}

void RecordWriter::add(std::uint64_t id, bool ok, std::string_view name, ByteView payload) {
    put(out_, id);
    put(out_, std::uint32_t{ok ? 1u : 0u});
    put(out_, static_cast<std::uint32_t>(name.size()));
    put(out_, static_cast<std::uint64_t>(payload.size()));
    auto const* n = reinterpret_cast<std::byte const*>(name.data());
    out_.insert(out_.end(), n, n + name.size());
    out_.insert(out_.end(), payload.begin(), payload.end());
    ++count_;
    std::memcpy(out_.data() + kCountOffset, &count_, sizeof count_);
}

ParsedMessage parse_executor_message(ByteView message) {
    std::size_t at = 0;
    ParsedMessage parsed;
    auto const kind = take<std::uint32_t>(message, at);
    if (kind < 1 || kind > 3) throw Error("taskfarm: unknown executor message kind " + std::to_string(kind));
    parsed.kind = static_cast<ExecutorMessage>(kind);
    auto const count = take<std::uint32_t>(message, at);
    parsed.records.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        WireRecord r;
        r.id = take<std::uint64_t>(message, at);
        r.ok = take<std::uint32_t>(message, at) != 0;
        auto const name_bytes = take<std::uint32_t>(message, at);
        auto const payload_bytes = take<std::uint64_t>(message, at);
        ByteView const name = take_bytes(message, at, name_bytes);
        r.name = std::string_view(reinterpret_cast<char const*>(name.data()), name.size());
        r.payload = take_bytes(message, at, payload_bytes);
        parsed.records.push_back(r);
    }
    if (at != message.size()) throw Error("taskfarm: trailing bytes in an executor message");
    return parsed;
}

}  // namespace taskfarm::detail
