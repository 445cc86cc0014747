/// @file
/// @brief The command line of `taskfarm` and of `taskfarm run`, parsed with Boost.Program_options.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <taskfarm/errors.hpp>

#include "input_error.hpp"
#include "results/joblog.hpp"
#include "run/halt_policy.hpp"
#include "tasks/parameter_table.hpp"

namespace taskfarm::cli {

/// A command line that cannot be obeyed (unknown option, missing value, contradiction): the
/// library's own type for a request that cannot be obeyed, so that main() treats the library's
/// (a farm set up wrong) and ours alike.
using UsageError = taskfarm::UsageError;

/// The top level: `taskfarm [--help|--version] COMMAND [ARGS...]`.
struct TopLevelCommand {
    bool help = false;
    bool version = false;
    std::string command;            ///< "run", "report", "help" or empty
    std::vector<std::string> args;  ///< everything after the command
};

/// @throws UsageError for an unknown option or command.
[[nodiscard]] TopLevelCommand parse_top_level(std::vector<std::string> const& args);

/// `taskfarm --help`.
[[nodiscard]] std::string top_level_help();

/// --part K/N: run only the tasks whose number is K modulo N (part N takes N, 2N, ...), so that N
/// jobs (an array) share one task file. Task numbers stay those of the whole file.
struct TaskPart {
    std::uint64_t index = 1;  ///< K, 1..count
    std::uint64_t count = 1;  ///< N; 1: every task
    [[nodiscard]] bool contains(std::uint64_t task_number) const noexcept {
        return (task_number - 1) % count == index - 1;
    }
    [[nodiscard]] bool whole() const noexcept { return count == 1; }
    [[nodiscard]] std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

/// Parses "K/N" (1 <= K <= N).
/// @throws UsageError otherwise.
[[nodiscard]] TaskPart parse_task_part(std::string const& text);

/// Parses a number of seconds: finite, not negative, at most a year ("1.5", "0", "1e3").
/// @throws UsageError naming `option` otherwise (NaN, inf, -1, 1e400, "5s").
[[nodiscard]] double parse_seconds(std::string const& text, char const* option);

/// Parses a whole number from `low` to `high` (no sign, no wrap-around).
/// @throws UsageError naming `option` otherwise.
[[nodiscard]] std::uint64_t parse_count(std::string const& text, char const* option, std::uint64_t low,
                                        std::uint64_t high);

/// Parses a byte count: digits with an optional K, M or G (powers of 1024), e.g. "64M".
/// @throws UsageError naming `option` otherwise.
[[nodiscard]] std::uint64_t parse_byte_size(std::string const& text, char const* option);

struct RunOptions {
    bool help = false;
    std::string input;             ///< the task file, or the parameter table with --template
    std::string command_template;  ///< --template (empty: the input is a task file)
    bool header = false;           ///< --header: the table's first row names the columns
    TableFormat table_format;      ///< --csv, --tsv, --colsep (default: detected)
    /// `::: a b ::: c d` lists after the options (GNU parallel's): the tasks instead of a table.
    std::vector<std::vector<std::string>> arguments;
    bool dry_run = false;        ///< --dry-run: print the commands, run nothing
    double delay = 0;            ///< --delay: seconds between task starts
    bool keep_order = false;     ///< -k/--keep-order: stdout in task order
    std::optional<int> threads;  ///< --threads (else SLURM_CPUS_PER_TASK, else 1)
    std::string joblog;          ///< --joblog
    ResumeMode resume = ResumeMode::none;
    unsigned retries = 0;
    double timeout = 0;  ///< seconds, 0: none
    HaltPolicy halt;     ///< --halt (--halt-on-error: soon,fail=1)
    std::string output_dir;
    bool tag = false;
    double status_interval = 60;  ///< seconds between status lines off a terminal, 0: none
    bool progress = false;        ///< --progress: the live line even when stderr is not a terminal
    double grace = 30;            ///< seconds running tasks may go on after a stop signal
    double kill_grace = 2;        ///< seconds between SIGTERM and SIGKILL
    std::uint64_t max_output = std::uint64_t{64} << 20;  ///< --max-output: bytes kept per stream per task, 0: all
    TaskPart part;                                       ///< --part K/N
    bool joblog_fsync = false;  ///< --joblog-fsync: each joblog line (and output file) on disk before the next
};

/// Parses the arguments after `run`.
/// @throws UsageError naming the offending option.
[[nodiscard]] RunOptions parse_run_options(std::vector<std::string> const& args);

/// `taskfarm run --help`.
[[nodiscard]] std::string run_help();

/// Threads per rank: `--threads`, else SLURM_CPUS_PER_TASK (`slurm_cpus`, may be null), else 1.
/// @throws UsageError when SLURM_CPUS_PER_TASK is set but not a positive number.
/// A twin of the library's detail::resolve_threads that must stay: the library also reads
/// OMP_NUM_THREADS, which for the command belongs to the commands it runs (an OpenMP program's
/// threads are not the number of commands to run at once), and it ignores a malformed value
/// where the command refuses it.
[[nodiscard]] int resolve_threads(std::optional<int> flag, char const* slurm_cpus);

}  // namespace taskfarm::cli
