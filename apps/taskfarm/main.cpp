// The `taskfarm` command: `taskfarm run TASKFILE` under mpirun or srun (see docs/CLI.md).
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "results/run_summary.hpp"
#include "run_options.hpp"

#ifndef TASKFARM_VERSION
#define TASKFARM_VERSION "unknown"
#endif

namespace {

/// Whether this process is the job's first rank, known before MPI starts from what the launchers
/// put in the environment (Open MPI, PMI/PMIx, SLURM). Help and usage errors, which need no MPI,
/// are printed by that process only.
bool first_rank() {
    for (char const* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}) {
        char const* value = std::getenv(name);
        if (value != nullptr && *value != '\0') return std::string(value) == "0";
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace taskfarm::cli;
    bool const prints = first_rank();
    try {
        TopLevelCommand const top = parse_top_level(std::vector<std::string>(argv + 1, argv + argc));
        if (top.version) {
            if (prints) std::cout << "taskfarm " << TASKFARM_VERSION << "\n";
            return 0;
        }
        if (top.help || top.command.empty() || top.command == "help") {
            std::string const topic = top.command == "help" && !top.args.empty() ? top.args.front() : "";
            // `taskfarm help report` is `taskfarm report --help`: one help text, kept by the command.
            if (topic == "report") return report_command({"--help"}, prints);
            if (prints) std::cout << (topic == "run" ? run_help() : top_level_help());
            if (top.command.empty() && !top.help) {
                if (prints) std::cerr << "taskfarm: missing the command (see above)\n";
                return exit_usage;
            }
            return 0;
        }
        if (top.command == "report") return report_command(top.args, prints);
        return run_command(top.args, argc, argv, prints);
    } catch (UsageError const& e) {
        if (prints) std::cerr << "taskfarm: " << e.what() << "\n";
        return exit_usage;
    } catch (std::exception const& e) {
        std::cerr << "taskfarm: " << e.what() << "\n";
        return exit_usage;
    }
}
