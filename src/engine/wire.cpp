#include "engine/wire.hpp"

#include <cstring>

namespace taskfarm::detail {

namespace {
template <class T>
void append_pod(Bytes& out, T const& value) {
    auto const* p = reinterpret_cast<std::byte const*>(&value);
    out.insert(out.end(), p, p + sizeof(T));
}

template <class T>
T read_pod(ByteView in, std::size_t& at) {
    if (at + sizeof(T) > in.size()) throw Error("taskfarm: truncated protocol message");
    T value;
    std::memcpy(&value, in.data() + at, sizeof(T));
    at += sizeof(T);
    return value;
}
}  // namespace

MessageBuilder::MessageBuilder(Bytes& buffer) : buffer_(buffer) {
    buffer_.clear();
    buffer_.resize(sizeof(Header));
}

MessageBuilder MessageBuilder::adopt(Bytes& buffer) {
    if (buffer.size() < sizeof(Header)) buffer.resize(sizeof(Header));
    return MessageBuilder(buffer, Adopt{});
}

void MessageBuilder::finish(Header header, std::vector<TaskFailure> const& failures) {
    header.payload_bytes = buffer_.size() - sizeof(Header);
    header.failures = static_cast<std::uint32_t>(failures.size());
    for (auto const& f : failures) {
        append_pod(buffer_, f.index);
        append_pod(buffer_, static_cast<std::int32_t>(f.rank));
        append_pod(buffer_, static_cast<std::uint32_t>(f.message.size()));
        auto const* p = reinterpret_cast<std::byte const*>(f.message.data());
        buffer_.insert(buffer_.end(), p, p + f.message.size());
    }
    std::memcpy(buffer_.data(), &header, sizeof(Header));
}

MessageView parse_message(ByteView message) {
    MessageView view;
    std::size_t at = 0;
    view.header = read_pod<Header>(message, at);
    if (view.header.kind != MessageKind::result_head) {
        if (view.header.payload_bytes > message.size() - at) throw Error("taskfarm: truncated protocol message");
        view.payload = message.subspan(at, view.header.payload_bytes);
        at += view.header.payload_bytes;
    }
    view.failures.reserve(view.header.failures);
    for (std::uint32_t i = 0; i < view.header.failures; ++i) {
        TaskFailure f;
        f.index = read_pod<std::uint64_t>(message, at);
        f.rank = read_pod<std::int32_t>(message, at);
        auto const length = read_pod<std::uint32_t>(message, at);
        if (length > message.size() - at) throw Error("taskfarm: truncated protocol message");
        f.message.assign(reinterpret_cast<char const*>(message.data() + at), length);
        at += length;
        view.failures.push_back(std::move(f));
    }
    return view;
}

Bytes split_result_head(ByteView message) {
    std::size_t at = 0;
    Header header = read_pod<Header>(message, at);
    if (header.payload_bytes > message.size() - at) throw Error("taskfarm: truncated protocol message");
    header.kind = MessageKind::result_head;
    ByteView const failures = message.subspan(at + header.payload_bytes);
    Bytes head(sizeof(Header) + failures.size());
    std::memcpy(head.data(), &header, sizeof(Header));
    if (!failures.empty()) std::memcpy(head.data() + sizeof(Header), failures.data(), failures.size());
    return head;
}

void append_batch_entry(Bytes& payload, ByteView message) {
    std::uint64_t const size = message.size();
    auto const at = payload.size();
    payload.resize(at + sizeof size + message.size());
    std::memcpy(payload.data() + at, &size, sizeof size);
    std::memcpy(payload.data() + at + sizeof size, message.data(), message.size());
}

std::vector<MessageView> batch_entries(ByteView payload) {
    std::vector<MessageView> entries;
    for (std::size_t at = 0; at < payload.size();) {
        std::uint64_t size = 0;
        if (payload.size() - at < sizeof size) throw Error("taskfarm: malformed result batch (a truncated entry)");
        std::memcpy(&size, payload.data() + at, sizeof size);
        at += sizeof size;
        if (payload.size() - at < size) throw Error("taskfarm: malformed result batch (an entry past its end)");
        entries.push_back(parse_message(payload.subspan(at, size)));
        at += size;
    }
    return entries;
}

}  // namespace taskfarm::detail
