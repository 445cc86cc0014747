/// @file
/// @brief Tells every rank that --halt holds, so that the other ranks start no task they already
/// hold and, for `--halt now`, kill their running commands. The library has no way to cancel a
/// call, so the CLI keeps a communicator of its own: the root sends each worker one message (the
/// halt, or "done" at the end) and the workers' task threads look for it before each command and
/// while it runs. Needs MPI_THREAD_MULTIPLE (the task threads call MPI); without it the channel
/// is off and only the root's own tasks are halted at once.
#pragma once

#include <mpi.h>

#include <mutex>
#include <vector>

#include "run/stop_state.hpp"

namespace taskfarm::cli {

class HaltChannel {
public:
    /// Collective over `comm`. `enabled` must be the same on every rank.
    HaltChannel(MPI_Comm comm, int root, bool enabled);
    ~HaltChannel();
    HaltChannel(HaltChannel const&) = delete;
    HaltChannel& operator=(HaltChannel const&) = delete;

    /// Root, once: tell every worker to halt (`now`: and kill running commands).
    void send_halt(bool now);
    /// Root, after the farm call: "done" to the workers not told to halt; waits for the sends.
    void finish_root();
    /// Workers, from any thread: applies a halt that arrived to `stop`.
    void poll(StopState& stop);
    /// Workers, after the farm call: takes the root's one message if not taken yet.
    void finish_worker(StopState& stop);

private:
    void apply(int message, StopState& stop);
    MPI_Comm comm_ = MPI_COMM_NULL;
    int root_ = 0;
    bool enabled_ = false;
    bool sent_ = false;
    bool received_ = false;
    std::mutex mutex_;
    std::vector<int> messages_;
    std::vector<MPI_Request> requests_;
};

}  // namespace taskfarm::cli
