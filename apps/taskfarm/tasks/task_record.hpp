/// @file
/// @brief What travels through the farm: a task to run, and what running it gave.
/// Both are Boost-serializable (the farm ships them in binary archives).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace taskfarm::cli {

/// One task as the root hands it out.
struct TaskRecord {
    std::uint64_t number = 0;  ///< the task number: `{#}`, the joblog's Seq, 1-based
    std::string command;       ///< the shell command (already expanded)
    /// Set by the root instead of a command when the task must not run: the run is stopping
    /// (signal, --halt-on-error) or the task could not be made (e.g. a missing template field).
    bool skip = false;
    std::vector<std::uint32_t> slot_offsets;  ///< where the slot number goes in `command` ({%})
    double not_before = 0;   ///< --delay: epoch seconds before which the command must not start (0: none)
    std::uint64_t slot = 0;  ///< filled in by the rank that runs it: PARALLEL_JOBSLOT, {%} (0: unknown)

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        // clang-format off
        ar & number & command & skip & slot_offsets & not_before & slot;
        // clang-format on
    }
};

/// How a task ended, as the rank that ran it saw it.
enum class TaskState : std::uint8_t {
    finished = 0,      ///< the command ran to its end (exit code and signal say how)
    timed_out = 1,     ///< killed after --timeout
    not_run = 2,       ///< never started: the run was stopping, or the task was skipped
    interrupted = 3,   ///< killed because the run was stopping (a signal); to be run again by --resume
    spawn_failed = 4,  ///< the shell could not be started (fork or pipe failed); `error` says why
    invalid = 5,       ///< the task could not be made (a template field the row lacks); `error` says why
};

/// What running one task gave; the farm brings it back to the root.
struct TaskOutcome {
    std::uint64_t number = 0;
    TaskState state = TaskState::not_run;
    int exit_code = 0;           ///< the shell's exit status (-1 when there is none)
    int signal = 0;              ///< the signal that ended the command, 0 if none
    double start_time = 0;       ///< epoch seconds
    double runtime = 0;          ///< seconds
    std::uint32_t attempts = 0;  ///< 1 + retries used
    std::string host;            ///< where it ran
    int rank = -1;
    std::string out;    ///< the whole stdout
    std::string err;    ///< the whole stderr
    std::string error;  ///< why it could not run, when it could not

    [[nodiscard]] bool succeeded() const noexcept {
        return state == TaskState::finished && exit_code == 0 && signal == 0;
    }
    /// Whether it belongs in the joblog: it ran to an end (success, failure, timeout). Tasks that
    /// did not run or were cut short by a stop are left out so --resume runs them.
    [[nodiscard]] bool loggable() const noexcept {
        return state == TaskState::finished || state == TaskState::timed_out || state == TaskState::spawn_failed ||
               state == TaskState::invalid;
    }

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        // clang-format off
        ar & number & state & exit_code & signal & start_time & runtime & attempts & host & rank & out & err & error;
        // clang-format on
    }
};

}  // namespace taskfarm::cli
