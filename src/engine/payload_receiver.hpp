// The payloads of split results (wire.hpp): a large Result's head says how big its payload is and
// which tasks it holds, so the root receives the payload straight where it belongs (map's output
// for raw results: nothing is copied after MPI), or into a buffer of its own when some of its
// bytes must not land there. Each payload is answered, as a whole Result, once it has arrived.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "engine/channel.hpp"
#include "engine/wire.hpp"

namespace taskfarm::detail {

class PayloadReceiver {
public:
    PayloadReceiver(Channel& channel, int tag) : channel_(channel), tag_(tag) {}

    /// Starts receiving the payload announced by `head` from `worker`, into `into` (its
    /// header.payload_bytes bytes), or into a buffer of its own when `into` is null.
    void expect(int worker, MessageView&& head, std::byte* into);
    /// Hands every payload that has arrived to `arrived` (the worker, the whole Result); true if any.
    bool take(std::function<void(int, MessageView const&)> const& arrived);
    /// At the end of a call every payload announced must have been taken (it would otherwise match
    /// a receive of the next call): they are on their way, but a dead worker's never come, so the
    /// wait is bounded; what is left is cancelled.
    void settle(std::function<void(int, MessageView const&)> const& arrived);
    [[nodiscard]] bool empty() const noexcept { return pending_.empty(); }

private:
    struct Pending {
        int worker;
        MessageView head;  // its payload: where the payload is being received
        Bytes buffer;      // that place, unless it is the job's own
        std::size_t receive;
    };
    Channel& channel_;
    int tag_;
    std::vector<Pending> pending_;
};

}  // namespace taskfarm::detail
