// Point-to-point MPI for the engine's loops: the MPI Channel (channel.hpp). Sends are nonblocking
// and own their buffers until MPI is done with them; receives probe for a matched message
// (MPI_Improbe) and take it whole (MPI_Mrecv), so a block of any size is one message.
#pragma once

#include <mpi.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include <taskfarm/detail/codec.hpp>

#include "engine/backoff.hpp"
#include "engine/channel.hpp"
#include "engine/wire.hpp"

namespace taskfarm::detail {

class Transport final : public Channel {
public:
    explicit Transport(MPI_Comm comm) : comm_(comm) {}
    Transport(Transport const&) = delete;
    Transport& operator=(Transport const&) = delete;
    ~Transport() override;

    /// Starts sending `message` (taken over until MPI is done with it).
    void send(int dest, int tag, Bytes&& message) override;
    /// Starts sending a Result (tag tags.result): as one message, or, with a payload of at least
    /// kSplitPayloadBytes, as its head and then its payload alone (tag tags.payload), both sent
    /// from `message` itself but the head's few bytes (see wire.hpp).
    void send_result(int dest, FarmTags const& tags, Bytes&& message) override;
    /// Starts receiving the next message with `tag` from `source` straight into `into` (its exact
    /// size); the returned id stays valid until receive_done says it has arrived.
    std::size_t start_receive(int source, int tag, std::span<std::byte> into) override;
    /// True once receive `id` has completed (then the id is spent).
    bool receive_done(std::size_t id) override;
    /// Cancels the receives still posted (a call that ends without them, e.g. interrupted), so
    /// MPI never writes into memory that is gone.
    void cancel_receives() override;
    /// Completes what sends it can; true when none is pending.
    bool progress_sends() override;
    /// Waits, without spinning, until every send has completed.
    void wait_sends();
    /// The same for at most `limit`; false if sends are still pending then (the receiver is gone
    /// or no longer listening, e.g. after an interrupted call).
    bool wait_sends_for(std::chrono::duration<double> limit) override;
    /// Gives up on pending sends: cancels them and keeps their buffers alive for good, since MPI may
    /// still read them. For the end of an interrupted call only.
    void abandon_sends() override;
    /// A message with `tag` from `source` (or MPI_ANY_SOURCE) if one has arrived.
    std::optional<Received> try_receive(int source, int tag) override;
    /// A spare buffer (keeps the capacity of buffers whose sends completed): the roomiest one.
    Bytes take_buffer() override;
    /// The smallest spare with room for `bytes`, else the roomiest (empty when there is none).
    Bytes take_buffer_for(std::size_t bytes);
    void give_buffer(Bytes&& buffer) override;

private:
    Bytes take_spare(std::vector<Bytes>::iterator which);

    MPI_Comm comm_;
    std::vector<MPI_Request> requests_;
    std::vector<Bytes> in_flight_;
    std::vector<Bytes> spare_;
    std::vector<int> done_;
    std::vector<MPI_Request> receives_;  // by id; MPI_REQUEST_NULL once done
};

}  // namespace taskfarm::detail
