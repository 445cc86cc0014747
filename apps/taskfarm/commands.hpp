/// @file
/// @brief The subcommands of the `taskfarm` binary; main() picks one.
#pragma once

#include <string>
#include <vector>

namespace taskfarm::cli {

/// `taskfarm run ...`: initializes MPI and farms the tasks. Returns the exit status.
/// `argc`/`argv` are main's, for MPI initialization. `prints` says whether this process prints
/// help and usage errors (only the first rank does, so mpirun -n 64 shows them once).
int run_command(std::vector<std::string> const& args, int& argc, char**& argv, bool prints);

/// `taskfarm report ...`: reserved for the timeline report (another engineer implements it in
/// report_command.cpp). Needs no MPI.
int report_command(std::vector<std::string> const& args, bool prints);

}  // namespace taskfarm::cli
