// The messages of the farm protocol. Every message is one contiguous byte buffer:
//   [Header][payload: payload_bytes][failure records: Header::failures of them]
// Root -> worker (tag FarmTags::block): Block (inputs of tasks [first, first+count)) or Stop (the call's
// outcome). Worker -> root (tag FarmTags::result): Result (the block's encoded results, its failures and
// how long it ran), or Signal (this rank caught a signal: the root stops the call). Blocks and Stop
// share a tag, so MPI's ordering guarantees Stop comes last. After a signal the root sends Drain
// first (same tag): the worker answers the blocks it has not started with status `dropped`, so the
// root's count of blocks in flight stays exact and only running blocks are waited for.
// Every call starts with a handshake that bounds the wait for a rank that never makes the call:
// each worker sends Join first (with a signal it holds), and the root's first message to each
// worker (a Block, a Drain or an Open) tells it the root is in the call too.
// A Result whose payload is at least kSplitPayloadBytes travels as two messages, so the root can
// receive the payload straight into its destination (map's output for raw types) once the first
// says where it goes: ResultHead (tag FarmTags::result) = [Header][failure records], Header::kind
// result_head, payload_bytes the size of the second; then the payload alone (tag FarmTags::payload).
// MPI keeps each tag's messages from one sender in order, so the n-th head and payload match.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

/// The tags of one farm: root -> worker (Block, Stop, Drain, Open), worker -> root, and the
/// payloads of split results. Each farm a process makes gets its own set (its serial is agreed by
/// every rank of its communicator at construction), so a message left over from a farm that is
/// gone (sent to a rank that never joined its last call) cannot match a later farm's receive, even
/// where MPI reuses the freed communicator for the next one.
struct FarmTags {
    int block = 101;
    int result = 102;
    int payload = 103;
    static FarmTags for_farm(std::uint32_t serial) {
        int const base = 1000 + 3 * static_cast<int>(serial % 10000);  // below 32767, MPI's least MPI_TAG_UB
        return FarmTags{base, base + 1, base + 2};
    }
};
/// Results this large go as a head and a separate payload: below it the second message costs more
/// than the copy it saves (about 1 us against 64 KiB at ~10 GB/s).
inline constexpr std::size_t kSplitPayloadBytes = std::size_t{64} << 10;

enum class MessageKind : std::uint32_t {
    block = 1,
    result = 2,
    stop = 3,
    signal = 4,
    drain = 5,
    join = 6,           // worker -> root, first of a call: "I am in this call" (job_type: a pending signal, or 0)
    open = 7,           // root -> worker with no block to start with: "the root is in this call"
    left = 8,           // worker -> root: it gave up waiting for the root to join (Options::join_timeout_seconds)
    result_head = 9,    // worker -> root: a Result's head; its payload follows alone (tag FarmTags::payload)
    result_batch = 10,  // sub-master -> root: Results of sub-blocks (see below), on tag FarmTags::result
};
/// A sub-master (group_loop.cpp) answers a block with Results of the smaller blocks it farmed out,
/// batched: a result_batch's payload is [u64 size][Result message] repeated. An entry whose
/// header's job_type is kClosesBlock (status dropped, count 0, `first` the block's) says every
/// task of the block the root sent has been answered: the root's count of blocks in flight drops.
inline constexpr std::uint64_t kClosesBlock = 1;

/// Stop: how a call ended, as the root tells every worker (the failure records carry the details).
/// Result: ok (results, maybe with failed tasks), dropped (not run: the call was interrupted),
/// block_failed (no results: the block could not be run at all), wrong_call (the worker makes a
/// different farm call; the failure record says which).
enum class CallStatus : std::uint32_t {
    ok = 0,
    task_failed = 1,
    root_failed = 2,
    interrupted = 3,
    usage_error = 4,
    dropped = 5,
    block_failed = 6,
    wrong_call = 7,
};

struct Header {
    MessageKind kind = MessageKind::block;
    std::uint32_t call = 0;  // the farm call this belongs to: a mismatch means diverged ranks
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    std::uint64_t payload_bytes = 0;
    double seconds = 0;  // Result: wall time the block ran
    std::uint32_t failures = 0;
    CallStatus status = CallStatus::ok;  // Stop: the call's outcome; Result: not ok = no results
    std::uint64_t job_type = 0;          // Block: the root's Job::type_id; Signal: the signal number
};
static_assert(sizeof(Header) == 56);

/// A message being built: the header's room is reserved first, the payload appended after it.
class MessageBuilder {
public:
    explicit MessageBuilder(Bytes& buffer);
    /// Builds on a buffer whose first sizeof(Header) bytes are already reserved for the header and
    /// whose payload follows them (results written in place).
    static MessageBuilder adopt(Bytes& buffer);
    Bytes& payload() noexcept { return buffer_; }
    /// Appends the failure records and writes the header (payload_bytes is filled in here).
    void finish(Header header, std::vector<TaskFailure> const& failures);

private:
    struct Adopt {};
    MessageBuilder(Bytes& buffer, Adopt) : buffer_(buffer) {}
    Bytes& buffer_;
};

/// A received message, parsed in place.
struct MessageView {
    Header header;
    ByteView payload;
    std::vector<TaskFailure> failures;
};

/// Parses a message; throws taskfarm::Error on a malformed one. A result_head has no payload in it
/// (its payload follows as its own message): `payload` is empty, header.payload_bytes its size.
MessageView parse_message(ByteView message);

/// A result_batch's entries (see kClosesBlock): appends one, and parses them in order.
void append_batch_entry(Bytes& payload, ByteView message);
std::vector<MessageView> batch_entries(ByteView payload);

/// The head of a split Result: `message`'s header (kind result_head) and failure records, without
/// its payload. `message` is a whole Result as MessageBuilder::finish leaves it.
Bytes split_result_head(ByteView message);

}  // namespace taskfarm::detail
