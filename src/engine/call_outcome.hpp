// How a farm call ended, and the one place that maps it to and from exceptions: the root turns
// what went wrong into an outcome, sends it to every worker in the Stop, and each rank turns the
// outcome back into the exception the user sees (the same type and message on every rank, but
// the root's own error, which it rethrows as it was).
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <taskfarm/errors.hpp>

#include "engine/wire.hpp"

namespace taskfarm::detail {

struct CallOutcome {
    CallStatus status = CallStatus::ok;
    std::vector<TaskFailure> failures;  // task_failed: every task that failed for good; else one record: the message
    int signal = 0;                     // interrupted: the signal
    std::uint64_t done = 0;             // interrupted: tasks done of `tasks`
    std::uint64_t tasks = 0;
    std::exception_ptr error;  // root only: the error itself (root_failed, usage_error)

    [[nodiscard]] bool ok() const noexcept { return status == CallStatus::ok; }
    /// The calls that ended well enough for every rank to still be in them (the trace gather).
    [[nodiscard]] bool ended_well() const noexcept {
        return status == CallStatus::ok || status == CallStatus::task_failed;
    }
    [[nodiscard]] std::string message() const;
};

/// A root error as an outcome: a UsageError stays one on every rank; anything else is root_failed.
CallOutcome outcome_of_error(std::exception_ptr error, int root);
CallOutcome outcome_of_interrupt(int signal, std::uint64_t done, std::uint64_t tasks, std::string message);
CallOutcome outcome_of_failures(std::vector<TaskFailure> failures);

/// The Stop that tells a worker the outcome, and the outcome a worker reads from it.
void write_stop(Bytes& buffer, std::uint32_t call, CallOutcome const& outcome);
CallOutcome read_stop(MessageView const& stop);

/// Throws what the user sees for `outcome` (returns for ok): on the root, its own error as it was.
void throw_outcome(CallOutcome const& outcome);

/// The error for a Result that is not ok (status block_failed or wrong_call), as the root sees it.
std::exception_ptr result_error(int worker, Header const& header, std::vector<TaskFailure> const& failures);

/// The message of an exception (for records that travel).
std::string describe(std::exception_ptr const& error);

}  // namespace taskfarm::detail
