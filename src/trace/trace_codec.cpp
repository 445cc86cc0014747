#include "trace/trace_codec.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

namespace {

constexpr std::uint32_t kMagic = 0x52544654;  // "TFTR"
constexpr std::uint32_t kVersion = 1;

class Writer {
public:
    explicit Writer(std::vector<std::byte>& out) : out_(out) {}
    template <class T>
    void put(T value) {
        static_assert(std::is_trivially_copyable_v<T>);
        auto const at = out_.size();
        out_.resize(at + sizeof(T));
        std::memcpy(out_.data() + at, &value, sizeof(T));
    }

private:
    std::vector<std::byte>& out_;
};

class Reader {
public:
    explicit Reader(std::span<std::byte const> in) : in_(in) {}
    template <class T>
    T get() {
        if (in_.size() - at_ < sizeof(T)) fail("it ends early");
        T value;
        std::memcpy(&value, in_.data() + at_, sizeof(T));
        at_ += sizeof(T);
        return value;
    }
    /// A count of items of `item_bytes` each that must still fit in the message.
    std::uint64_t count(std::size_t item_bytes) {
        auto const n = get<std::uint64_t>();
        if (n > (in_.size() - at_) / item_bytes) fail("a count exceeds its size");
        return n;
    }
    void expect_end() const {
        if (at_ != in_.size()) fail("it has trailing bytes");
    }
    [[noreturn]] static void fail(char const* why) {
        throw Error(std::string("taskfarm: malformed trace message: ") + why);
    }

private:
    std::span<std::byte const> in_;
    std::size_t at_ = 0;
};

constexpr std::size_t kThreadBytes = 8 + 8;
constexpr std::size_t kEventBytes = 1 + 4 + 4 + 4 + 8 + 8 + 8 + 8;

}  // namespace

std::vector<std::byte> encode_rank_trace(RankTrace const& t) {
    std::vector<std::byte> out;
    out.reserve(128 + t.thread_counters.size() * kThreadBytes + t.events.size() * kEventBytes);
    Writer w(out);
    w.put(kMagic);
    w.put(kVersion);
    w.put<std::int32_t>(t.rank);
    w.put<std::int32_t>(t.threads);
    w.put<std::uint8_t>(t.computes ? 1 : 0);
    w.put(t.clock_offset);
    w.put(t.seconds);
    w.put<std::uint64_t>(t.chunks);
    w.put<std::uint64_t>(t.dispatched);
    w.put(t.wait_seconds);
    w.put<std::uint64_t>(t.bytes_sent);
    w.put<std::uint64_t>(t.bytes_received);
    w.put<std::uint64_t>(t.messages_sent);
    w.put<std::uint64_t>(t.messages_received);
    w.put<std::uint64_t>(t.dropped_events);
    w.put<std::uint64_t>(t.thread_counters.size());
    for (auto const& c : t.thread_counters) {
        w.put<std::uint64_t>(c.tasks);
        w.put(c.busy_seconds);
    }
    w.put<std::uint64_t>(t.events.size());
    for (auto const& e : t.events) {
        w.put(static_cast<std::uint8_t>(e.kind));
        w.put<std::int32_t>(e.rank);
        w.put<std::int32_t>(e.thread);
        w.put<std::int32_t>(e.peer);
        w.put(e.start);
        w.put(e.end);
        w.put<std::uint64_t>(e.first);
        w.put<std::uint64_t>(e.count);
    }
    return out;
}

RankTrace decode_rank_trace(std::span<std::byte const> bytes) {
    Reader r(bytes);
    if (r.get<std::uint32_t>() != kMagic) Reader::fail("not a trace");
    if (r.get<std::uint32_t>() != kVersion) Reader::fail("another trace version");
    RankTrace t;
    t.rank = r.get<std::int32_t>();
    t.threads = r.get<std::int32_t>();
    t.computes = r.get<std::uint8_t>() != 0;
    t.clock_offset = r.get<double>();
    t.seconds = r.get<double>();
    t.chunks = r.get<std::uint64_t>();
    t.dispatched = r.get<std::uint64_t>();
    t.wait_seconds = r.get<double>();
    t.bytes_sent = r.get<std::uint64_t>();
    t.bytes_received = r.get<std::uint64_t>();
    t.messages_sent = r.get<std::uint64_t>();
    t.messages_received = r.get<std::uint64_t>();
    t.dropped_events = r.get<std::uint64_t>();
    t.thread_counters.resize(r.count(kThreadBytes));
    for (auto& c : t.thread_counters) {
        c.tasks = r.get<std::uint64_t>();
        c.busy_seconds = r.get<double>();
    }
    t.events.resize(r.count(kEventBytes));
    for (auto& e : t.events) {
        auto const kind = r.get<std::uint8_t>();
        if (kind < 1 || kind > 3) Reader::fail("an unknown event kind");
        e.kind = static_cast<TraceKind>(kind);
        e.rank = r.get<std::int32_t>();
        e.thread = r.get<std::int32_t>();
        e.peer = r.get<std::int32_t>();
        e.start = r.get<double>();
        e.end = r.get<double>();
        e.first = r.get<std::uint64_t>();
        e.count = r.get<std::uint64_t>();
    }
    r.expect_end();
    return t;
}

}  // namespace taskfarm::detail
