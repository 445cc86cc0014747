/// @file
/// @brief What the root does with each finished task, in completion order: write its output,
/// append its joblog line (after the output, so a logged task's output files are complete), say
/// why it failed, count it, and halt the run when --halt's condition holds.
#pragma once

#include <string>

#include "console.hpp"
#include "results/joblog.hpp"
#include "results/output_writer.hpp"
#include "results/progress.hpp"
#include "results/run_summary.hpp"
#include "run/halt_policy.hpp"
#include "run/stop_state.hpp"
#include "tasks/task_list.hpp"
#include "tasks/task_record.hpp"

namespace taskfarm::cli {

/// The joblog line of a task that ran (or could not be made).
[[nodiscard]] JoblogEntry joblog_entry(TaskSpec const& spec, TaskOutcome const& outcome);

/// Why a task failed, with its file, line, number and host, e.g.
/// "tasks.txt:7: task 6 failed on node3 (rank 2): exit 127 (command not found)".
/// Empty for a task that succeeded or did not run.
[[nodiscard]] std::string describe_failure(TaskSpec const& spec, TaskOutcome const& outcome);

/// "SIGSEGV" for 11, "signal 77" for what has no name here. A twin of the library's
/// detail::signal_name (src/engine/interrupt.hpp) that must stay while that one names only the
/// three stop signals: a command can die of any signal, and the joblog reader wants its name.
[[nodiscard]] std::string signal_name(int signal);

class ResultSink {
public:
    /// `joblog`, `progress` and `halt` may be null (no --joblog; no progress; no --halt).
    ResultSink(Console& console, OutputWriter& output, JoblogWriter* joblog, ProgressReporter* progress,
               StopState& stop, HaltTracker* halt);

    /// Handles one task's outcome. A task whose spec has an error is reported as failed with exit
    /// status 255 and logged, whatever the outcome says (it never ran).
    void accept(TaskSpec const& spec, TaskOutcome outcome);

    [[nodiscard]] RunSummary& summary() noexcept { return summary_; }

private:
    Console& console_;
    OutputWriter& output_;
    JoblogWriter* joblog_;
    ProgressReporter* progress_;
    StopState& stop_;
    HaltTracker* halt_;
    bool halt_message_printed_ = false;
    RunSummary summary_;
};

}  // namespace taskfarm::cli
