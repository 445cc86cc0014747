// One small value from the root to every other rank, that the other ranks can look for from any
// thread while a farm call runs (the taskfarm command's --halt news, which the library's calls
// cannot carry: they cannot be cancelled). A duplicated communicator of its own keeps it apart
// from the farm's messages. Polling from threads other than the main one needs
// MPI_THREAD_MULTIPLE (taskfarm::Environment with ThreadLevel::multiple). Every MPI return code
// is checked: a failure throws taskfarm::Error naming the routine.
#pragma once

#include <mpi.h>

#include <mutex>
#include <optional>
#include <vector>

namespace taskfarm::detail {

class SignalChannel {
public:
    /// Collective over `comm` when `enabled` (which must be the same on every rank); a disabled
    /// channel calls no MPI and carries nothing.
    SignalChannel(MPI_Comm comm, int root, bool enabled);
    ~SignalChannel();
    SignalChannel(SignalChannel const&) = delete;
    SignalChannel& operator=(SignalChannel const&) = delete;

    [[nodiscard]] bool enabled() const noexcept { return comm_ != MPI_COMM_NULL; }

    /// Root: starts sending `value` to every other rank; only the first post sends. True if this
    /// call sent.
    bool post(int value);
    /// Root, once at the end: posts `value_if_none` unless something was posted, then waits until
    /// every send completed (each rank must take its value: see wait()).
    void complete(int value_if_none);
    /// Other ranks, from any thread: the root's value if it has arrived and was not taken yet.
    std::optional<int> poll();
    /// Other ranks, once at the end: waits for the root's value unless it was taken already.
    std::optional<int> wait();

private:
    MPI_Comm comm_ = MPI_COMM_NULL;
    int root_ = 0;
    bool posted_ = false;
    bool taken_ = false;
    std::mutex mutex_;
    std::vector<int> values_;  // one per rank: MPI reads them until the sends complete
    std::vector<MPI_Request> requests_;
};

}  // namespace taskfarm::detail
