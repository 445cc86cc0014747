#include "run/halt_channel.hpp"

#include <optional>

namespace taskfarm::cli {

namespace {

constexpr int done = 0;
constexpr int halt_soon = 1;
constexpr int halt_now = 2;

void apply(std::optional<int> message, StopState& stop) {
    if (message && *message != done) stop.halt(*message == halt_now);
}

}  // namespace

HaltChannel::HaltChannel(boost::mpi::communicator const& comm, int root, bool enabled)
    : channel_(comm, root, enabled) {}

void HaltChannel::send_halt(bool now) { channel_.post(now ? halt_now : halt_soon); }

void HaltChannel::finish_root() { channel_.complete(done); }

void HaltChannel::poll(StopState& stop) { apply(channel_.poll(), stop); }

void HaltChannel::finish_worker(StopState& stop) { apply(channel_.wait(), stop); }

}  // namespace taskfarm::cli
