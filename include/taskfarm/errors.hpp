/// @file
/// @brief The exceptions a farm call throws.
///
/// @code{.cpp}
/// try {
///     auto out = farm.map(simulate, inputs);
/// } catch (taskfarm::TaskError const& e) {
///     std::cerr << e.what() << "\n";   // "task 17 failed on rank 2: negative beta"
///     rerun_one(inputs[e.index()]);
/// }
/// @endcode
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace taskfarm {

/// @brief Base of every exception taskfarm throws.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// @brief One task's failure: which task, where, and what it threw.
struct TaskFailure {
    std::uint64_t index = 0;  ///< the task's index in the input
    int rank = -1;            ///< the rank that ran it
    std::string message;      ///< the `what()` of the exception the task threw
};

/// @brief A task threw. Thrown on every rank by the farm call, after the work in flight was drained,
/// so the farm stays usable for the next call.
class TaskError : public Error {
public:
    explicit TaskError(std::vector<TaskFailure> failures);

    /// The index of the (first) failed task.
    [[nodiscard]] std::uint64_t index() const noexcept { return failures_.front().index; }
    /// The rank that ran the (first) failed task.
    [[nodiscard]] int rank() const noexcept { return failures_.front().rank; }
    /// Every failure the call collected, in task order.
    [[nodiscard]] std::vector<TaskFailure> const& failures() const noexcept { return failures_; }

private:
    std::vector<TaskFailure> failures_;
};

/// @brief Bad arguments or a misuse of the API, detected before any work ran.
class UsageError : public Error {
public:
    using Error::Error;
};

}  // namespace taskfarm
