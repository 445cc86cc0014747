/// @file
/// @brief The exceptions a farm call throws.
///
/// @code{.cpp}
/// try {
///     auto out = farm.map(simulate, inputs);
/// } catch (taskfarm::TaskError const& e) {
///     std::cerr << e.what() << "\n";   // "task 17 failed on rank 2: negative beta"
///     rerun_one(inputs[e.index()]);
/// } catch (taskfarm::Interrupted const& e) {
///     std::cerr << e.what() << "\n";   // "interrupted by SIGTERM: 61204 of 100000 tasks done; ..."
///     return 3;
/// }
/// @endcode
///
/// docs/ERRORS.md lists every error and when it is thrown.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
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

/// @brief Bad arguments or a misuse of the API, detected before any work ran; also ranks that run
/// different programs or make different farm calls.
class UsageError : public Error {
public:
    using Error::Error;
};

/// @brief The call was stopped by a signal (SIGTERM, SIGINT or SIGUSR1 on any rank; see
/// Options::handle_signals). Thrown on every rank after the work in flight was collected (for a
/// bounded time) and the journal synced: run the program again with the same journal to resume.
class Interrupted : public Error {
public:
    Interrupted(std::string const& message, int signal, std::uint64_t tasks_done, std::uint64_t task_count)
        : Error(message), signal_(signal), tasks_done_(tasks_done), task_count_(task_count) {}
    /// The signal that stopped the call.
    [[nodiscard]] int signal() const noexcept { return signal_; }
    /// Tasks with a result (journaled ones included) when the call stopped; the root's count.
    [[nodiscard]] std::uint64_t tasks_done() const noexcept { return tasks_done_; }
    [[nodiscard]] std::uint64_t task_count() const noexcept { return task_count_; }

private:
    int signal_;
    std::uint64_t tasks_done_;
    std::uint64_t task_count_;
};

/// @brief The journal (Options::journal) cannot be used: it cannot be created, read or written, or
/// another process holds it. Thrown on the root; the other ranks get an Error with the same text.
class JournalError : public Error {
public:
    JournalError(std::filesystem::path path, std::string const& problem)
        : Error("journal '" + path.string() + "': " + problem), path_(std::move(path)) {}
    /// The file at fault (for the n-th farm call, `journal.n`).
    [[nodiscard]] std::filesystem::path const& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

/// @brief The file exists but is not a taskfarm journal (or a format this build cannot read). Left untouched.
class NotAJournalError : public JournalError {
public:
    using JournalError::JournalError;
};

/// @brief The journal was written for different work (task count, inputs, result type, call kind or
/// taskfarm version differ). Left untouched; the message names every difference.
class JournalMismatchError : public JournalError {
public:
    using JournalError::JournalError;
};

/// @brief Damage that a crash cannot explain: a bad header, or a bad record with good records after
/// it that prove it had reached the disk. Refused rather than dropped, and left untouched.
class JournalCorruptError : public JournalError {
public:
    JournalCorruptError(std::filesystem::path path, std::string const& problem, std::uint64_t offset,
                        std::uint64_t record)
        : JournalError(std::move(path), problem), offset_(offset), record_(record) {}
    /// Byte offset of the damaged header or record in the file.
    [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }
    /// Number (from 0) of the damaged record; 0 for the header.
    [[nodiscard]] std::uint64_t record() const noexcept { return record_; }

private:
    std::uint64_t offset_;
    std::uint64_t record_;
};

}  // namespace taskfarm
