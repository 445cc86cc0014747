#include "engine/rank_setup.hpp"

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include <taskfarm/errors.hpp>

#include "engine/build_id.hpp"
#include "engine/farm_core.hpp"
#include "engine/transport_collectives.hpp"

namespace taskfarm::detail {

namespace {

int positive_env(char const* name) {
    char const* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return 0;
    char* end = nullptr;
    long const value = std::strtol(text, &end, 10);
    return (end != nullptr && *end == '\0' && value > 0 && value < 100000) ? static_cast<int>(value) : 0;
}

// Ranks running different programs (or taskfarm builds) would decode each other's bytes as
// garbage or wait forever: every rank compares its build id with everyone's and names the odd ones.
void check_same_program(MPI_Comm comm) {
    std::vector<std::uint64_t> const ids = all_gather_u64(comm, program_build_id());
    bool same = true;
    for (auto id : ids) same = same && id == ids.front();
    if (same) return;
    std::vector<std::string> const programs = all_gather_strings(comm, program_description());
    std::string text = "taskfarm: the ranks do not run the same program and taskfarm build:";
    for (std::size_t r = 0; r < ids.size(); ++r)
        if (ids[r] != ids.front() || r == 0) text += " rank " + std::to_string(r) + " runs " + programs[r] + ";";
    throw UsageError(text + " start every rank from the same executable");
}

// Open MPI's mpirun, killed or sent SIGTERM, leaves its ranks running as orphans that nobody can
// stop and that keep the journal locked against a resubmitted job. Ask the kernel for a SIGTERM
// when the launcher dies: a farm call then stops cleanly (Interrupted), and between calls the
// program ends as on any SIGTERM. Only under mpirun (whose ranks are its children on each node).
void stop_with_the_launcher(bool handle_signals) {
    if (!handle_signals || std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr) return;
    pid_t const launcher = ::getppid();
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && ::getppid() != launcher) std::raise(SIGTERM);
}

}  // namespace

void validate_rank_options(char const* what, int root, int threads, int comm_size) {
    if (root < 0 || root >= comm_size)
        throw UsageError(std::string("taskfarm: ") + what + ".root is " + std::to_string(root) +
                         " but the communicator has " + std::to_string(comm_size) + " ranks");
    if (threads < 0)
        throw UsageError(std::string("taskfarm: ") + what + ".threads must be >= 0 (0: from the environment)");
}

int resolve_threads(int requested) {
    if (requested > 0) return requested;
    if (int const t = positive_env("OMP_NUM_THREADS"); t > 0) return t;
    if (int const t = positive_env("SLURM_CPUS_PER_TASK"); t > 0) return t;
    return 1;
}

int resolve_threads(Options const& options) { return resolve_threads(options.threads); }

RankSetup set_up_ranks(char const* what, MPI_Comm comm, int root, int threads, bool handle_signals,
                       std::span<int const> extra) {
    validate_rank_options(what, root, threads, comm_size(comm));
    RankSetup setup;
    setup.comm = duplicate_comm(comm);
    // The duplicate is freed again if the set-up fails (every rank fails alike).
    struct FreeUnlessKept {
        MPI_Comm& comm;
        bool keep = false;
        ~FreeUnlessKept() {
            if (!keep) free_comm(comm);
        }
    } guard{setup.comm};
    check_same_program(setup.comm);
    stop_with_the_launcher(handle_signals);
    setup.threads = resolve_threads(threads);

    std::vector<int> mine{setup.threads, root};
    mine.insert(mine.end(), extra.begin(), extra.end());
    std::vector<int> const all = all_gather_ints(setup.comm, mine);
    std::size_t const width = mine.size();
    for (std::size_t r = 0; r < all.size() / width; ++r) {
        setup.rank_threads.push_back(all[width * r]);
        if (all[width * r + 1] != root)
            throw UsageError(std::string("taskfarm: the ranks disagree on ") + what + ".root");
        setup.extra.insert(setup.extra.end(), all.begin() + static_cast<std::ptrdiff_t>(width * r + 2),
                           all.begin() + static_cast<std::ptrdiff_t>(width * (r + 1)));
    }
    guard.keep = true;
    return setup;
}

}  // namespace taskfarm::detail
