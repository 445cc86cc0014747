#include "executor/executor_wire.hpp"

#include <cstring>

#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

void append_task(Bytes& payload, std::string_view name, ByteView args) {
    auto const length = static_cast<std::uint32_t>(name.size());
    auto const* l = reinterpret_cast<std::byte const*>(&length);
    payload.insert(payload.end(), l, l + sizeof length);
    auto const* n = reinterpret_cast<std::byte const*>(name.data());
    payload.insert(payload.end(), n, n + name.size());
    payload.insert(payload.end(), args.begin(), args.end());
}

TaskView parse_task(ByteView payload) {
    std::uint32_t length = 0;
    if (payload.size() < sizeof length) throw Error("taskfarm: truncated executor task");
    std::memcpy(&length, payload.data(), sizeof length);
    if (payload.size() - sizeof length < length) throw Error("taskfarm: truncated executor task");
    return TaskView{std::string_view(reinterpret_cast<char const*>(payload.data() + sizeof length), length),
                    payload.subspan(sizeof length + length)};
}

}  // namespace taskfarm::detail
