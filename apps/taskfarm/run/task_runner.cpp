#include "run/task_runner.hpp"

#include <signal.h>

#include <chrono>
#include <thread>

#include "run/process_runner.hpp"

namespace taskfarm::cli {

namespace {

/// The signals a stop brings to a command: the stop signals themselves, SIGHUP, and the SIGKILL
/// that Slurm sends KillWait seconds after a SIGTERM. A crash (SIGSEGV, SIGABRT...) is never one.
bool is_stop_signal(int signal) {
    return signal == SIGTERM || signal == SIGINT || signal == SIGHUP || signal == SIGUSR1 || signal == SIGKILL;
}

/// Whether a command that died of `signal` was killed by the run's stop rather than failing on
/// its own. Under srun one signal goes to the rank and its commands together, so the rank's own
/// handler may run a moment after the command's death is seen: wait up to `wait` seconds for it.
bool killed_by_the_stop(int signal, StopState const& stop, double wait) {
    if (!is_stop_signal(signal)) return false;
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait);
    while (!stop.interrupted() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return stop.interrupted();
}

}  // namespace

TaskOutcome run_task(TaskRecord const& task, TaskPolicy const& policy, StopState const& stop) {
    TaskOutcome outcome;
    outcome.number = task.number;
    outcome.host = policy.host;
    outcome.rank = policy.rank;
    if (policy.poll) policy.poll();
    if (task.skip || stop.stopping()) return outcome;  // state stays not_run

    ProcessLimits limits;
    limits.timeout = policy.timeout;
    limits.kill_grace = policy.kill_grace;
    limits.max_output = policy.max_output;
    limits.guardian = policy.guardian;
    limits.cancelled = [&stop, &policy] {
        if (policy.poll) policy.poll();
        return stop.kill_running(policy.stop_grace);
    };
    for (unsigned attempt = 1; attempt <= policy.retries + 1; ++attempt) {
        std::string const number = std::to_string(task.number);
        limits.environment = {"TASKFARM_TASK=" + number, "PARALLEL_SEQ=" + number,
                              "TASKFARM_RANK=" + std::to_string(policy.rank),
                              "TASKFARM_ATTEMPT=" + std::to_string(attempt)};
        if (task.slot > 0) limits.environment.push_back("PARALLEL_JOBSLOT=" + std::to_string(task.slot));
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
        } else if (outcome.signal != 0 && killed_by_the_stop(outcome.signal, stop, policy.stop_signal_wait)) {
            outcome.state = TaskState::interrupted;
        } else {
            outcome.state = TaskState::finished;
        }
        if (outcome.succeeded() || outcome.state == TaskState::interrupted || stop.stopping()) break;
    }
    return outcome;
}

}  // namespace taskfarm::cli
