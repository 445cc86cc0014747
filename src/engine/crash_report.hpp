// A rank that dies inside a task says which task. Handlers for SIGSEGV, SIGBUS, SIGFPE, SIGABRT
// and SIGILL (and an atexit hook, for exit() called by a task) write, with async-signal-safe calls
// only, the tasks this rank's threads were running to stderr and, when a journal is set, append
// them to the crash file beside it; then the previous handler (Open MPI's, or the default) runs
// as if we had not been there. On resume the root reads that file: a task that was running at
// each of the last two crashes is the likely culprit (see likely_culprits).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <taskfarm/detail/running_task.hpp>

namespace taskfarm::detail {

/// Installs the handlers and the atexit hook once per process.
void install_crash_report();

/// What a report written during the current call says: the rank, the kind of call, and where
/// the crash file is (empty: no journal, stderr only).
void set_crash_context(int rank, char const* call_kind, std::string const& crash_file, std::uint64_t run_id,
                       std::uint32_t section);

/// A running-task slot for one engine thread, held while it runs a block (sets running_task).
class RunningTaskClaim {
public:
    RunningTaskClaim();
    ~RunningTaskClaim();
    RunningTaskClaim(RunningTaskClaim const&) = delete;
    RunningTaskClaim& operator=(RunningTaskClaim const&) = delete;

private:
    RunningTask* slot_;
    RunningTask* outer_;
};

/// The crash file of a journal.
[[nodiscard]] std::string crash_file_of(std::string const& journal);

/// The tasks that were running at each of the last two runs of `section` recorded in `crash_file`
/// (this run, `run_id`, not counted), when both of them crashed; `signals` says how they died.
/// Appends a line saying that run `run_id` started, if the file exists, so that a run that ends
/// without a crash breaks the chain.
[[nodiscard]] std::set<std::uint64_t> likely_culprits(std::string const& crash_file, std::uint64_t run_id,
                                                      std::uint32_t section, std::string& signals);

}  // namespace taskfarm::detail
