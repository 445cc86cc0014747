#include "task_runner.hpp"

#include "process_runner.hpp"

namespace taskfarm::cli {

TaskOutcome run_task(TaskRecord const& task, TaskPolicy const& policy, StopState const& stop) {
    TaskOutcome outcome;
    outcome.number = task.number;
    outcome.host = policy.host;
    outcome.rank = policy.rank;
    if (task.skip || stop.stopping()) return outcome;  // state stays not_run

    ProcessLimits limits;
    limits.timeout = policy.timeout;
    limits.kill_grace = policy.kill_grace;
    limits.cancelled = [&stop, grace = policy.stop_grace] { return stop.kill_running(grace); };
    for (unsigned attempt = 1; attempt <= policy.retries + 1; ++attempt) {
        std::string const number = std::to_string(task.number);
        limits.environment = {"TASKFARM_TASK=" + number, "PARALLEL_SEQ=" + number,
                              "TASKFARM_RANK=" + std::to_string(policy.rank),
                              "TASKFARM_ATTEMPT=" + std::to_string(attempt)};
        ProcessResult result = run_process(task.command, limits);
        outcome.attempts = attempt;
        outcome.exit_code = result.exit_code;
        outcome.signal = result.signal;
        outcome.start_time = result.start_time;
        outcome.runtime = result.runtime;
        outcome.out = std::move(result.out);
        outcome.err = std::move(result.err);
        outcome.error = std::move(result.error);
        if (!outcome.error.empty()) {
            outcome.state = TaskState::spawn_failed;
            outcome.exit_code = -1;
        } else if (result.interrupted) {
            outcome.state = TaskState::interrupted;
        } else if (result.timed_out) {
            outcome.state = TaskState::timed_out;
        } else {
            outcome.state = TaskState::finished;
        }
        if (outcome.succeeded() || outcome.state == TaskState::interrupted || stop.stopping()) break;
    }
    return outcome;
}

}  // namespace taskfarm::cli
