#include "run/halt_channel.hpp"

namespace taskfarm::cli {

namespace {
constexpr int tag = 1;
constexpr int done = 0;
constexpr int halt_soon = 1;
constexpr int halt_now = 2;
}  // namespace

HaltChannel::HaltChannel(MPI_Comm comm, int root, bool enabled) : root_(root), enabled_(enabled) {
    if (enabled_) MPI_Comm_dup(comm, &comm_);
}

HaltChannel::~HaltChannel() {
    if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

void HaltChannel::send_halt(bool now) {
    std::lock_guard lock(mutex_);
    if (!enabled_ || sent_) return;
    sent_ = true;
    int size = 1;
    MPI_Comm_size(comm_, &size);
    messages_.assign(static_cast<std::size_t>(size), now ? halt_now : halt_soon);
    requests_.assign(static_cast<std::size_t>(size), MPI_REQUEST_NULL);
    for (int r = 0; r < size; ++r)
        if (r != root_) MPI_Isend(&messages_[static_cast<std::size_t>(r)], 1, MPI_INT, r, tag, comm_, &requests_[static_cast<std::size_t>(r)]);
}

void HaltChannel::finish_root() {
    if (!enabled_) return;
    {
        std::lock_guard lock(mutex_);
        if (!sent_) {
            sent_ = true;
            int size = 1;
            MPI_Comm_size(comm_, &size);
            messages_.assign(static_cast<std::size_t>(size), done);
            requests_.assign(static_cast<std::size_t>(size), MPI_REQUEST_NULL);
            for (int r = 0; r < size; ++r)
                if (r != root_) MPI_Isend(&messages_[static_cast<std::size_t>(r)], 1, MPI_INT, r, tag, comm_, &requests_[static_cast<std::size_t>(r)]);
        }
    }
    MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
}

void HaltChannel::apply(int message, StopState& stop) {
    received_ = true;
    if (message != done) stop.halt(message == halt_now);
}

void HaltChannel::poll(StopState& stop) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    if (received_) return;
    int arrived = 0;
    MPI_Iprobe(root_, tag, comm_, &arrived, MPI_STATUS_IGNORE);
    if (!arrived) return;
    int message = done;
    MPI_Recv(&message, 1, MPI_INT, root_, tag, comm_, MPI_STATUS_IGNORE);
    apply(message, stop);
}

void HaltChannel::finish_worker(StopState& stop) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    if (received_) return;
    int message = done;
    MPI_Recv(&message, 1, MPI_INT, root_, tag, comm_, MPI_STATUS_IGNORE);
    apply(message, stop);
}

}  // namespace taskfarm::cli
