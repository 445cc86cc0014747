/// @file
/// @brief The command line of `taskfarm` and of `taskfarm run`, parsed with Boost.Program_options.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "input_error.hpp"
#include "joblog.hpp"

namespace taskfarm::cli {

/// A command line that cannot be obeyed (unknown option, missing value, contradiction).
class UsageError : public InputError {
public:
    using InputError::InputError;
};

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

struct RunOptions {
    bool help = false;
    std::string input;             ///< the task file, or the parameter table with --template
    std::string command_template;  ///< --template (empty: the input is a task file)
    bool header = false;           ///< --header: the table's first row names the columns
    std::optional<int> threads;    ///< --threads (else SLURM_CPUS_PER_TASK, else 1)
    std::string joblog;            ///< --joblog
    ResumeMode resume = ResumeMode::none;
    unsigned retries = 0;
    double timeout = 0;            ///< seconds, 0: none
    bool halt_on_error = false;
    std::string output_dir;
    bool tag = false;
    double status_interval = 60;   ///< seconds between status lines off a terminal, 0: none
    bool progress = false;         ///< --progress: the live line even when stderr is not a terminal
    double grace = 30;             ///< seconds running tasks may go on after a stop signal
    double kill_grace = 2;         ///< seconds between SIGTERM and SIGKILL
};

/// Parses the arguments after `run`.
/// @throws UsageError naming the offending option.
[[nodiscard]] RunOptions parse_run_options(std::vector<std::string> const& args);

/// `taskfarm run --help`.
[[nodiscard]] std::string run_help();

/// `taskfarm report --help`.
[[nodiscard]] std::string report_help();

/// Threads per rank: `--threads`, else SLURM_CPUS_PER_TASK (`slurm_cpus`, may be null), else 1.
/// @throws UsageError when SLURM_CPUS_PER_TASK is set but not a positive number.
[[nodiscard]] int resolve_threads(std::optional<int> flag, char const* slurm_cpus);

}  // namespace taskfarm::cli
