// The seam between the engine's loops and MPI: what the root and worker loops need from a
// transport, as an interface. `Transport` (transport.hpp) is the MPI one; tests drive the root loop
// through a fake one (tests/unit/root_loop_test.cpp), with scripted workers and no mpirun.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>

#include <taskfarm/detail/codec.hpp>

#include "engine/wire.hpp"

namespace taskfarm::detail {

struct Received {
    int source = -1;
    Bytes bytes;
};

/// Any source, for try_receive (equal to MPI_ANY_SOURCE, checked in transport.cpp).
inline constexpr int kAnySource = -1;

class Channel {
public:
    virtual ~Channel() = default;

    /// Starts sending `message` (taken over until the channel is done with it).
    virtual void send(int dest, int tag, Bytes&& message) = 0;
    /// Starts sending a Result: as one message, or, with a payload of at least kSplitPayloadBytes,
    /// as its head (tag tags.result) and then its payload alone (tag tags.payload); see wire.hpp.
    virtual void send_result(int dest, FarmTags const& tags, Bytes&& message) = 0;
    /// A message with `tag` from `source` (or kAnySource) if one has arrived.
    virtual std::optional<Received> try_receive(int source, int tag) = 0;
    /// Starts receiving the next message with `tag` from `source` straight into `into` (its exact
    /// size); the id stays valid until receive_done says it has arrived.
    virtual std::size_t start_receive(int source, int tag, std::span<std::byte> into) = 0;
    /// True once receive `id` has completed (then the id is spent).
    virtual bool receive_done(std::size_t id) = 0;
    /// Cancels the receives still posted, so nothing is written into memory that is gone.
    virtual void cancel_receives() = 0;
    /// Completes what sends it can; true when none is pending.
    virtual bool progress_sends() = 0;
    /// Waits at most `limit` for every send to complete; false if some are still pending then.
    virtual bool wait_sends_for(std::chrono::duration<double> limit) = 0;
    /// Gives up on pending sends (their receiver is gone): their buffers are kept for good.
    virtual void abandon_sends() = 0;
    /// A spare buffer (keeps the capacity of buffers whose sends completed), and one given back.
    virtual Bytes take_buffer() = 0;
    virtual void give_buffer(Bytes&& buffer) = 0;
};

}  // namespace taskfarm::detail
