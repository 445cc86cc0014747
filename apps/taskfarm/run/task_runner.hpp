/// @file
/// @brief The farm's task function: runs one task record, with retries, and respects a stop.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "run/stop_state.hpp"
#include "tasks/task_record.hpp"

namespace taskfarm::cli {

class CommandGuardian;

struct TaskPolicy {
    double timeout = 0;          ///< --timeout, seconds (0: none)
    double kill_grace = 2;       ///< seconds between SIGTERM and SIGKILL when a command is killed
    unsigned retries = 0;        ///< --retries: extra attempts after a failure
    std::size_t max_output = 0;  ///< --max-output: bytes of stdout, and of stderr, kept (0: all)
    double stop_grace = 30;      ///< --grace: how long running commands may go on after a stop signal
    /// How long to wait for this rank's own stop signal after a command died of a stop signal
    /// (srun delivers one signal to the rank and its commands at about the same time).
    double stop_signal_wait = 0.5;
    /// Called before a command starts and while it runs (may be empty): lets news of a halt on
    /// another rank reach `stop` (HaltChannel::poll).
    std::function<void()> poll;
    CommandGuardian* guardian = nullptr;  ///< watches the commands if this rank dies (may be null)
    std::string host;                     ///< recorded in the outcome
    int rank = 0;
};

/// Runs `task` unless it is marked skip or the run is stopping; a failed attempt (non-zero exit,
/// signal, timeout) is retried up to `policy.retries` times unless the run is stopping. The
/// command sees TASKFARM_TASK and PARALLEL_SEQ (the task number), TASKFARM_RANK and
/// TASKFARM_ATTEMPT (1 for the first run). The outcome is the last attempt's.
/// A command killed by SIGTERM, SIGINT, SIGHUP, SIGUSR1 or SIGKILL while the run stops for a
/// signal is `interrupted`, not failed: under srun and scancel the stop signal reaches the
/// commands too, and --resume must run them again.
[[nodiscard]] TaskOutcome run_task(TaskRecord const& task, TaskPolicy const& policy, StopState const& stop);

}  // namespace taskfarm::cli
