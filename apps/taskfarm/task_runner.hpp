/// @file
/// @brief The farm's task function: runs one task record, with retries, and respects a stop.
#pragma once

#include <string>

#include "stop_state.hpp"
#include "task_record.hpp"

namespace taskfarm::cli {

struct TaskPolicy {
    double timeout = 0;        ///< --timeout, seconds (0: none)
    double kill_grace = 2;     ///< seconds between SIGTERM and SIGKILL when a command is killed
    unsigned retries = 0;      ///< --retries: extra attempts after a failure
    double stop_grace = 30;    ///< --grace: how long running commands may go on after a stop signal
    std::string host;          ///< recorded in the outcome
    int rank = 0;
};

/// Runs `task` unless it is marked skip or the run is stopping; a failed attempt (non-zero exit,
/// signal, timeout) is retried up to `policy.retries` times unless the run is stopping. The
/// command sees TASKFARM_TASK and PARALLEL_SEQ (the task number), TASKFARM_RANK and
/// TASKFARM_ATTEMPT (1 for the first run). The outcome is the last attempt's.
[[nodiscard]] TaskOutcome run_task(TaskRecord const& task, TaskPolicy const& policy, StopState const& stop);

}  // namespace taskfarm::cli
