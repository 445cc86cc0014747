#include "engine/payload_receiver.hpp"

#include <chrono>

#include "engine/backoff.hpp"

namespace taskfarm::detail {

void PayloadReceiver::expect(int worker, MessageView&& head, std::byte* into) {
    std::size_t const bytes = head.header.payload_bytes;
    Pending pending{worker, std::move(head), {}, 0};
    if (into == nullptr) {
        pending.buffer = channel_.take_buffer();
        pending.buffer.resize(bytes);
        into = pending.buffer.data();
    }
    pending.head.payload = ByteView(into, bytes);
    pending.receive = channel_.start_receive(worker, tag_, {into, bytes});
    pending_.push_back(std::move(pending));
}

bool PayloadReceiver::take(std::function<void(int, MessageView const&)> const& arrived) {
    bool any = false;
    for (std::size_t i = 0; i < pending_.size();) {
        if (!channel_.receive_done(pending_[i].receive)) {
            ++i;
            continue;
        }
        any = true;
        Pending done = std::move(pending_[i]);
        pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
        done.head.header.kind = MessageKind::result;
        arrived(done.worker, done.head);
        if (done.buffer.capacity() > 0) channel_.give_buffer(std::move(done.buffer));
    }
    return any;
}

void PayloadReceiver::settle(std::function<void(int, MessageView const&)> const& arrived) {
    Backoff backoff(std::chrono::milliseconds(1));
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!pending_.empty() && std::chrono::steady_clock::now() < deadline)
        if (!take(arrived)) backoff.pause();
    channel_.cancel_receives();
    pending_.clear();
}

}  // namespace taskfarm::detail
