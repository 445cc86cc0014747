#include "engine/transport_signal.hpp"

#include <string>

#include <taskfarm/errors.hpp>

#include "engine/transport_collectives.hpp"

namespace taskfarm::detail {

namespace {

constexpr int tag = 1;  // the channel's communicator is its own: any tag would do

}  // namespace

SignalChannel::SignalChannel(MPI_Comm comm, int root, bool enabled) : root_(root) {
    if (enabled) check_mpi(MPI_Comm_dup(comm, &comm_), "MPI_Comm_dup");
}

SignalChannel::~SignalChannel() {
    if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);  // a destructor cannot throw: best effort
}

bool SignalChannel::post(int value) {
    std::lock_guard lock(mutex_);
    if (comm_ == MPI_COMM_NULL || posted_) return false;
    posted_ = true;
    int size = 1;
    check_mpi(MPI_Comm_size(comm_, &size), "MPI_Comm_size");
    values_.assign(static_cast<std::size_t>(size), value);
    requests_.assign(static_cast<std::size_t>(size), MPI_REQUEST_NULL);
    for (int r = 0; r < size; ++r) {
        if (r == root_) continue;
        auto const i = static_cast<std::size_t>(r);
        check_mpi(MPI_Isend(&values_[i], 1, MPI_INT, r, tag, comm_, &requests_[i]), "MPI_Isend");
    }
    return true;
}

void SignalChannel::complete(int value_if_none) {
    if (comm_ == MPI_COMM_NULL) return;
    post(value_if_none);
    std::lock_guard lock(mutex_);
    check_mpi(MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE), "MPI_Waitall");
}

std::optional<int> SignalChannel::poll() {
    std::lock_guard lock(mutex_);
    if (comm_ == MPI_COMM_NULL || taken_) return std::nullopt;
    int arrived = 0;
    check_mpi(MPI_Iprobe(root_, tag, comm_, &arrived, MPI_STATUS_IGNORE), "MPI_Iprobe");
    if (!arrived) return std::nullopt;
    int value = 0;
    check_mpi(MPI_Recv(&value, 1, MPI_INT, root_, tag, comm_, MPI_STATUS_IGNORE), "MPI_Recv");
    taken_ = true;
    return value;
}

std::optional<int> SignalChannel::wait() {
    std::lock_guard lock(mutex_);
    if (comm_ == MPI_COMM_NULL || taken_) return std::nullopt;
    int value = 0;
    check_mpi(MPI_Recv(&value, 1, MPI_INT, root_, tag, comm_, MPI_STATUS_IGNORE), "MPI_Recv");
    taken_ = true;
    return value;
}

}  // namespace taskfarm::detail
