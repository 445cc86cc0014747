// The executor's two messages, each one contiguous buffer of records:
//   [u32 kind][u32 count] then per record [u64 id][u32 ok][u32 name bytes][u64 payload bytes][name][payload]
// Root -> worker (kTaskBatchTag): a batch of tasks (name + encoded arguments), or Stop (count 0).
// Worker -> root (kOutcomeTag): the batch's outcomes (ok: encoded result; not ok: the error
// message). Batches and Stop share a tag, so MPI's ordering delivers Stop last.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <taskfarm/detail/codec.hpp>

namespace taskfarm::detail {

// The executor has its own duplicate communicator; distinct tags only make traces easier to read.
inline constexpr int kTaskBatchTag = 201;
inline constexpr int kOutcomeTag = 202;

enum class ExecutorMessage : std::uint32_t { tasks = 1, stop = 2, outcomes = 3 };

struct WireRecord {
    std::uint64_t id = 0;
    bool ok = true;
    std::string_view name;  // tasks only
    ByteView payload;       // arguments, result, or error message
};

class RecordWriter {
public:
    RecordWriter(Bytes& out, ExecutorMessage kind);
    void add(std::uint64_t id, bool ok, std::string_view name, ByteView payload);
    [[nodiscard]] std::uint32_t count() const noexcept { return count_; }

private:
    Bytes& out_;
    std::uint32_t count_ = 0;
};

struct ParsedMessage {
    ExecutorMessage kind = ExecutorMessage::stop;
    std::vector<WireRecord> records;  // views into the message's bytes
};

/// Throws taskfarm::Error on a malformed message.
ParsedMessage parse_executor_message(ByteView message);

}  // namespace taskfarm::detail
