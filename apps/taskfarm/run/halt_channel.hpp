/// @file
/// @brief Tells every rank that --halt holds, so that the other ranks start no task they already
/// hold and, for `--halt now`, kill their running commands. The library has no way to cancel a
/// call, so the command sends its own news on the library's signal channel
/// (src/engine/transport_signal.hpp): the root sends each worker one message (the halt, or "done"
/// at the end) and the workers' task threads look for it before each command and while it runs.
/// Needs MPI_THREAD_MULTIPLE (the task threads call MPI); without it the channel is off and only
/// the root's own tasks are halted at once.
#pragma once

#include <boost/mpi/communicator.hpp>

#include "engine/transport_signal.hpp"
#include "run/stop_state.hpp"

namespace taskfarm::cli {

class HaltChannel {
public:
    /// Collective over `comm`. `enabled` must be the same on every rank.
    HaltChannel(boost::mpi::communicator const& comm, int root, bool enabled);

    /// Root, once: tell every worker to halt (`now`: and kill running commands).
    void send_halt(bool now);
    /// Root, after the farm call: "done" to the workers not told to halt; waits for the sends.
    void finish_root();
    /// Workers, from any thread: applies a halt that arrived to `stop`.
    void poll(StopState& stop);
    /// Workers, after the farm call: takes the root's one message if not taken yet.
    void finish_worker(StopState& stop);

private:
    detail::SignalChannel channel_;
};

}  // namespace taskfarm::cli
