/// @file
/// @brief `--halt when,why=N|N%`: GNU parallel's rule for ending a run early, and its exit status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "tasks/task_record.hpp"

namespace taskfarm::cli {

struct HaltPolicy {
    enum class When { never, soon, now };  ///< soon: start no new task; now: also kill running ones
    enum class Why { fail, success, done };
    When when = When::never;
    Why why = Why::fail;
    std::uint64_t count = 0;  ///< N, or 0 with `percent`
    double percent = 0;       ///< N% (0 < N <= 100), or 0 with `count`

    /// The tasks of `why`'s kind after which the run halts, out of `total` tasks.
    [[nodiscard]] double threshold(std::size_t total) const noexcept;
    /// "now,fail=1", for messages.
    [[nodiscard]] std::string text() const;
};

/// Parses GNU parallel's forms: never, soon|now,fail|success|done=N|N%, and its short ones
/// 0, 1, 2, -1, -2 and N% (soon,fail=N%).
/// @throws UsageError (from run_options.hpp) otherwise.
[[nodiscard]] HaltPolicy parse_halt(std::string const& text);

/// Counts results against a policy on the root. Thread-safe and idempotent per task: the root's
/// own task threads report their results at once (so that they never start another task after
/// the failure that halts the run) and the result handler reports them again.
class HaltTracker {
public:
    HaltTracker(HaltPolicy policy, std::size_t total) : policy_(policy), total_(total) {}

    /// Counts a task that ran to an end (loggable). Returns true when this result makes the halt
    /// condition hold (once per run).
    bool note(TaskOutcome const& outcome);

    [[nodiscard]] bool halted() const;
    /// GNU parallel's exit status under --halt (0..101; for fail=1 and done=1 the halting task's
    /// exit status, or 128 + its signal), or nullopt without --halt.
    [[nodiscard]] std::optional<int> exit_status() const;
    [[nodiscard]] HaltPolicy const& policy() const noexcept { return policy_; }

private:
    HaltPolicy policy_;
    std::size_t total_;
    mutable std::mutex mutex_;
    std::set<std::uint64_t> seen_;
    std::size_t failed_ = 0;
    std::size_t succeeded_ = 0;
    std::optional<int> halt_status_;
};

}  // namespace taskfarm::cli
