#include <cstdlib>
#include <string>

#include <boost/mpi/collectives/all_gather.hpp>

#include <taskfarm/errors.hpp>
#include <taskfarm/farm.hpp>

#include "engine/farm_core.hpp"

namespace taskfarm {

namespace detail {

namespace {
int positive_env(char const* name) {
    char const* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return 0;
    char* end = nullptr;
    long const value = std::strtol(text, &end, 10);
    return (end != nullptr && *end == '\0' && value > 0 && value < 100000) ? static_cast<int>(value) : 0;
}

void validate(Options const& o, int comm_size) {
    if (o.root < 0 || o.root >= comm_size)
        throw UsageError("taskfarm: Options.root is " + std::to_string(o.root) + " but the communicator has " +
                         std::to_string(comm_size) + " ranks");
    if (o.threads < 0) throw UsageError("taskfarm: Options.threads must be >= 0 (0: from the environment)");
    if (!(o.chunk_seconds > 0)) throw UsageError("taskfarm: Options.chunk_seconds must be > 0");
    if (o.prefetch < 1) throw UsageError("taskfarm: Options.prefetch must be >= 1");
}
}  // namespace

int resolve_threads(Options const& options) {
    if (options.threads > 0) return options.threads;
    if (int const t = positive_env("OMP_NUM_THREADS"); t > 0) return t;
    if (int const t = positive_env("SLURM_CPUS_PER_TASK"); t > 0) return t;
    return 1;
}

}  // namespace detail

Farm::Farm() : Farm(boost::mpi::communicator()) {}

Farm::Farm(boost::mpi::communicator const& comm, Options options) : core_(std::make_unique<detail::FarmCore>()) {
    detail::validate(options, comm.size());
    core_->comm = boost::mpi::communicator(comm, boost::mpi::comm_duplicate);
    core_->options = options;
    core_->threads = detail::resolve_threads(options);
    boost::mpi::all_gather(core_->comm, core_->threads, core_->rank_threads);

    // Ranks built with different options would wait on each other forever: say so instead.
    std::vector<int> roots;
    boost::mpi::all_gather(core_->comm, options.root, roots);
    for (int r : roots)
        if (r != options.root) throw UsageError("taskfarm: the ranks disagree on Options.root");
}

Farm::~Farm() = default;
Farm::Farm(Farm&&) noexcept = default;
Farm& Farm::operator=(Farm&&) noexcept = default;

bool Farm::is_root() const noexcept { return core_->is_root(); }
int Farm::rank() const noexcept { return core_->comm.rank(); }
int Farm::size() const noexcept { return core_->comm.size(); }
int Farm::threads() const noexcept { return core_->threads; }
Options const& Farm::options() const noexcept { return core_->options; }
boost::mpi::communicator const& Farm::communicator() const noexcept { return core_->comm; }

void Farm::run(detail::Job& job) {
    ++core_->calls;
    if (core_->is_root()) {
        detail::run_root(*core_, job);
    } else {
        detail::run_worker(*core_, job);
    }
}

}  // namespace taskfarm
