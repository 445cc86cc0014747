#include "engine/transport.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include <taskfarm/errors.hpp>

#include "engine/transport_collectives.hpp"
#include "engine/wire.hpp"

namespace taskfarm::detail {

Transport::~Transport() {
    cancel_receives();
    // Only reached with sends pending when a call is unwinding from an error; the buffers must
    // outlive the requests. Complete them if the receiver takes them within a bounded time, else
    // give up on them (an interrupted root may never receive again): no wait is unbounded.
    if (requests_.empty()) return;
    try {
        if (!wait_sends_for(std::chrono::seconds(10))) abandon_sends();
    } catch (...) {
        abandon_sends();
    }
}

void Transport::send(int dest, int tag, Bytes&& message) {
    if (message.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error("taskfarm: a message of " + std::to_string(message.size()) +
                    " bytes is over MPI's 2 GiB count limit; use a smaller chunk_size");
    MPI_Request request = MPI_REQUEST_NULL;
    check_mpi(MPI_Isend(message.data(), static_cast<int>(message.size()), MPI_BYTE, dest, tag, comm_, &request),
              "MPI_Isend");
    requests_.push_back(request);
    in_flight_.push_back(std::move(message));
}

void Transport::send_result(int dest, FarmTags const& tags, Bytes&& message) {
    Header header;
    if (message.size() >= sizeof(Header)) std::memcpy(&header, message.data(), sizeof(Header));
    if (header.kind != MessageKind::result || header.status != CallStatus::ok ||
        header.payload_bytes < kSplitPayloadBytes) {
        send(dest, tags.result, std::move(message));
        return;
    }
    if (header.payload_bytes > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error("taskfarm: a block's results of " + std::to_string(header.payload_bytes) +
                    " bytes are over MPI's 2 GiB count limit; use a smaller chunk_size");
    // The head first, so the root knows where the payload goes before it arrives; the payload is
    // sent from where the results were built, so nothing large is copied here.
    send(dest, tags.result, split_result_head(message));
    MPI_Request request = MPI_REQUEST_NULL;
    check_mpi(MPI_Isend(message.data() + sizeof(Header), static_cast<int>(header.payload_bytes), MPI_BYTE, dest,
                        tags.payload, comm_, &request),
              "MPI_Isend");
    requests_.push_back(request);
    in_flight_.push_back(std::move(message));
}

std::size_t Transport::start_receive(int source, int tag, std::span<std::byte> into) {
    if (into.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error("taskfarm: a message of " + std::to_string(into.size()) + " bytes is over MPI's 2 GiB count limit");
    MPI_Request request = MPI_REQUEST_NULL;
    check_mpi(MPI_Irecv(into.data(), static_cast<int>(into.size()), MPI_BYTE, source, tag, comm_, &request),
              "MPI_Irecv");
    // Reuse a spent id: at most a few receives are posted at once.
    for (std::size_t id = 0; id < receives_.size(); ++id) {
        if (receives_[id] == MPI_REQUEST_NULL) {
            receives_[id] = request;
            return id;
        }
    }
    receives_.push_back(request);
    return receives_.size() - 1;
}

bool Transport::receive_done(std::size_t id) {
    int flag = 0;
    check_mpi(MPI_Test(&receives_[id], &flag, MPI_STATUS_IGNORE), "MPI_Test");
    return flag != 0;  // MPI_Test set the request to MPI_REQUEST_NULL
}

void Transport::cancel_receives() {
    for (auto& request : receives_) {
        if (request == MPI_REQUEST_NULL) continue;
        MPI_Cancel(&request);
        MPI_Wait(&request, MPI_STATUS_IGNORE);  // a cancelled receive completes locally
    }
    receives_.clear();
}

bool Transport::progress_sends() {
    if (requests_.empty()) return true;
    done_.resize(requests_.size());
    int count = 0;
    check_mpi(
        MPI_Testsome(static_cast<int>(requests_.size()), requests_.data(), &count, done_.data(), MPI_STATUSES_IGNORE),
        "MPI_Testsome");
    if (count <= 0) return false;  // MPI_UNDEFINED: no active request
    // Completed requests are MPI_REQUEST_NULL now; compact both arrays in step.
    std::size_t keep = 0;
    for (std::size_t i = 0; i < requests_.size(); ++i) {
        if (requests_[i] == MPI_REQUEST_NULL) {
            give_buffer(std::move(in_flight_[i]));
            continue;
        }
        requests_[keep] = requests_[i];
        if (keep != i) in_flight_[keep] = std::move(in_flight_[i]);
        ++keep;
    }
    requests_.resize(keep);
    in_flight_.resize(keep);
    return requests_.empty();
}

void Transport::wait_sends() {
    Backoff backoff;
    while (!progress_sends()) backoff.pause();
}

bool Transport::wait_sends_for(std::chrono::duration<double> limit) {
    auto const deadline = std::chrono::steady_clock::now() + limit;
    Backoff backoff(std::chrono::milliseconds(1));
    while (!progress_sends()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        backoff.pause();
    }
    return true;
}

void Transport::abandon_sends() {
    // Buffers of sends that may never complete: never freed, as MPI may read them until the end.
    static std::vector<Bytes> abandoned;
    for (std::size_t i = 0; i < requests_.size(); ++i) {
        if (requests_[i] != MPI_REQUEST_NULL) {
            MPI_Cancel(&requests_[i]);
            MPI_Request_free(&requests_[i]);
        }
        abandoned.push_back(std::move(in_flight_[i]));
    }
    requests_.clear();
    in_flight_.clear();
}

std::optional<Received> Transport::try_receive(int source, int tag) {
    int flag = 0;
    MPI_Message handle = MPI_MESSAGE_NULL;
    MPI_Status status;
    check_mpi(MPI_Improbe(source == kAnySource ? MPI_ANY_SOURCE : source, tag, comm_, &flag, &handle, &status),
              "MPI_Improbe");
    if (flag == 0) return std::nullopt;
    int size = 0;
    MPI_Get_count(&status, MPI_BYTE, &size);
    Received received{status.MPI_SOURCE, take_buffer_for(static_cast<std::size_t>(size))};
    received.bytes.resize(static_cast<std::size_t>(size));
    check_mpi(MPI_Mrecv(received.bytes.data(), size, MPI_BYTE, &handle, MPI_STATUS_IGNORE), "MPI_Mrecv");
    return received;
}

namespace {
bool by_capacity(Bytes const& a, Bytes const& b) { return a.capacity() < b.capacity(); }
}  // namespace

Bytes Transport::take_spare(std::vector<Bytes>::iterator which) {
    std::iter_swap(which, spare_.end() - 1);
    Bytes buffer = std::move(spare_.back());
    spare_.pop_back();
    buffer.clear();
    return buffer;
}

Bytes Transport::take_buffer() {
    // The roomiest: a caller that does not say how much it needs may be about to receive a
    // large payload, and a fresh buffer is faulted in page by page (slower than the wire).
    if (spare_.empty()) return {};
    return take_spare(std::max_element(spare_.begin(), spare_.end(), by_capacity));
}

Bytes Transport::take_buffer_for(std::size_t bytes) {
    // The smallest that fits, so large buffers stay for large messages; else the roomiest.
    auto best = spare_.end();
    for (auto it = spare_.begin(); it != spare_.end(); ++it)
        if (it->capacity() >= bytes && (best == spare_.end() || it->capacity() < best->capacity())) best = it;
    if (best != spare_.end()) return take_spare(best);
    return take_buffer();
}

void Transport::give_buffer(Bytes&& buffer) {
    // A handful of spares covers the messages in flight; more would only hold memory. When full,
    // a larger buffer takes the smallest one's place.
    if (buffer.capacity() == 0) return;
    if (spare_.size() < 8) {
        spare_.push_back(std::move(buffer));
        return;
    }
    auto const smallest = std::min_element(spare_.begin(), spare_.end(), by_capacity);
    if (smallest->capacity() < buffer.capacity()) *smallest = std::move(buffer);
}

}  // namespace taskfarm::detail
