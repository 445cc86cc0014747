#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <random>
#include <string>
#include <utility>

#include <boost/mpi/collectives/all_gather.hpp>
#include <boost/mpi/collectives/broadcast.hpp>
#include <boost/mpi/exception.hpp>

#include <taskfarm/errors.hpp>
#include <taskfarm/farm.hpp>

#include "engine/build_id.hpp"
#include "engine/crash_report.hpp"
#include "engine/farm_core.hpp"
#include "engine/interrupt.hpp"

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

std::string shown(double value) { return std::to_string(value); }

void validate(Options const& o, int comm_size) {
    if (o.root < 0 || o.root >= comm_size)
        throw UsageError("taskfarm: Options.root is " + std::to_string(o.root) + " but the communicator has " +
                         std::to_string(comm_size) + " ranks");
    if (o.threads < 0) throw UsageError("taskfarm: Options.threads must be >= 0 (0: from the environment)");
    if (!(o.chunk_seconds > 0) || !std::isfinite(o.chunk_seconds))
        throw UsageError("taskfarm: Options.chunk_seconds must be a finite number > 0, not " + shown(o.chunk_seconds));
    if (o.group_size < 0)
        throw UsageError("taskfarm: Options.group_size must be 0 (automatic), 1 (flat) or a group's rank count, not " +
                         std::to_string(o.group_size));
    if (o.prefetch < 1 || o.prefetch > 1000)
        throw UsageError("taskfarm: Options.prefetch must be between 1 and 1000, not " + std::to_string(o.prefetch));
    if (o.retries < 0 || o.retries > 1000)
        throw UsageError("taskfarm: Options.retries must be between 0 and 1000, not " + std::to_string(o.retries));
    if (o.on_error != OnError::stop && o.on_error != OnError::collect)
        throw UsageError("taskfarm: Options.on_error must be OnError::stop or OnError::collect");
    if (o.journal_sync_blocks < 1) throw UsageError("taskfarm: Options.journal_sync_blocks must be at least 1");
    if (!(o.journal_sync_seconds >= 0) || !std::isfinite(o.journal_sync_seconds))
        throw UsageError("taskfarm: Options.journal_sync_seconds must be a finite number >= 0, not " +
                         shown(o.journal_sync_seconds));
    if (!(o.interrupt_grace_seconds >= 0) || !std::isfinite(o.interrupt_grace_seconds))
        throw UsageError("taskfarm: Options.interrupt_grace_seconds must be a finite number >= 0, not " +
                         shown(o.interrupt_grace_seconds));
    if (!(o.join_timeout_seconds >= 0) || !std::isfinite(o.join_timeout_seconds))
        throw UsageError("taskfarm: Options.join_timeout_seconds must be a finite number >= 0 (0: wait for ever), "
                         "not " + shown(o.join_timeout_seconds));
    if (!o.journal.empty() && o.journal.back() == '/')
        throw UsageError("taskfarm: Options.journal must name a file, not a directory: '" + o.journal + "'");
}

// Ranks running different programs (or taskfarm builds) would decode each other's bytes as
// garbage or wait forever: every rank compares its build id with everyone's and names the odd ones.
void check_same_program(boost::mpi::communicator const& comm) {
    std::vector<std::uint64_t> ids;
    boost::mpi::all_gather(comm, program_build_id(), ids);
    bool same = true;
    for (auto id : ids) same = same && id == ids.front();
    if (same) return;
    std::vector<std::string> programs;
    boost::mpi::all_gather(comm, program_description(), programs);
    std::string text = "taskfarm: the ranks do not run the same program and taskfarm build:";
    for (std::size_t r = 0; r < ids.size(); ++r)
        if (ids[r] != ids.front() || r == 0) text += " rank " + std::to_string(r) + " runs " + programs[r] + ";";
    throw UsageError(text + " start every rank from the same executable");
}
// Open MPI's mpirun, killed or sent SIGTERM, leaves its ranks running as orphans that nobody can
// stop and that keep the journal locked against a resubmitted job. Ask the kernel for a SIGTERM
// when the launcher dies: a farm call then stops cleanly (Interrupted), and between calls the
// program ends as on any SIGTERM. Only under mpirun (whose ranks are its children on each node).
void stop_with_the_launcher(Options const& options) {
    if (!options.handle_signals || std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr) return;
    pid_t const launcher = ::getppid();
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && ::getppid() != launcher) std::raise(SIGTERM);
}

}  // namespace

int resolve_threads(Options const& options) {
    if (options.threads > 0) return options.threads;
    if (int const t = positive_env("OMP_NUM_THREADS"); t > 0) return t;
    if (int const t = positive_env("SLURM_CPUS_PER_TASK"); t > 0) return t;
    return 1;
}

// A call inside a task would wait for ranks that are busy running the outer call's tasks; one
// from a callback of a running call would interleave with it.
void refuse_nested_call(FarmCore const& core, char const* what) {
    if (inside_task())
        throw UsageError(std::string("taskfarm: a farm call (") + what +
                         ") was made from inside a running task: farm calls are collective and must be made "
                         "by every rank's main thread, outside tasks (do the inner work in the task itself)");
    if (core.in_call)
        throw UsageError(std::string("taskfarm: a farm call (") + what +
                         ") was made while another call of the same farm runs (from a for_each or progress "
                         "callback?): farm calls are collective and must be made one after another");
}

}  // namespace detail

Farm::Farm() : Farm(boost::mpi::communicator()) {}

Farm::Farm(boost::mpi::communicator const& comm, Options options) : core_(std::make_unique<detail::FarmCore>()) {
    detail::validate(options, comm.size());
    comm_ = boost::mpi::communicator(comm, boost::mpi::comm_duplicate);
    // The engine speaks the C API: it gets the duplicate's handle, which comm_ keeps alive.
    core_->comm = MPI_Comm(comm_);
    core_->rank = comm_.rank();
    core_->size = comm_.size();
    detail::check_same_program(comm_);
    detail::stop_with_the_launcher(options);
    core_->options = options;
    core_->threads = detail::resolve_threads(options);
    if (options.handle_signals) core_->signals.hold();  // from here to the farm's end
    detail::install_crash_report();

    // One gather tells the root every rank's threads, and catches ranks whose options would make
    // them wait on each other forever (another root; one gathering statistics, another not).
    int const gathers = core_->gathers_trace() ? 1 : 0;
    // The root's run id names this run in crash records (see crash_report.hpp).
    int const run_id = core_->is_root() ? static_cast<int>(std::random_device{}() & 0x7fffffff) : 0;
    // The farm's serial (for its message tags) is the highest count of farms any rank has made.
    static std::atomic<int> farms_made{0};
    int const mine[5] = {core_->threads, options.root, gathers, run_id, farms_made.load()};
    std::vector<int> all;
    boost::mpi::all_gather(comm_, mine, 5, all);
    core_->run_id = static_cast<std::uint64_t>(all[5 * static_cast<std::size_t>(options.root) + 3]);
    int serial = 0;
    for (std::size_t r = 0; r < all.size() / 5; ++r) serial = std::max(serial, all[5 * r + 4]);
    farms_made.store(serial + 1);
    core_->tags = detail::FarmTags::for_farm(static_cast<std::uint32_t>(serial));
    for (std::size_t r = 0; r < all.size() / 5; ++r) {
        core_->rank_threads.push_back(all[5 * r]);
        if (all[5 * r + 1] != options.root) throw UsageError("taskfarm: the ranks disagree on Options.root");
        if (all[5 * r + 2] != gathers)
            throw UsageError("taskfarm: the ranks disagree on Options.statistics / Options.trace (set them alike on "
                             "every rank)");
    }
    detail::form_groups(*core_);  // the hierarchy (Options::group_size), if any
}

Farm::~Farm() {
    // A farm that may have left a message unreceived (to or from a rank that never joined a call,
    // or abandoned after an interrupt) keeps its communicator for good: MPI would reuse the freed
    // one's context for a later communicator, where Open MPI then matches the stale message's
    // sequence number against the new traffic and waits for ever. Misuse is rare; a leak is cheap.
    if (core_ && core_->keep_communicator) {
        static std::vector<boost::mpi::communicator> kept;
        kept.push_back(comm_);
    }
}

Farm::Farm(Farm&&) noexcept = default;
Farm& Farm::operator=(Farm&&) noexcept = default;

bool Farm::is_root() const noexcept { return core_->is_root(); }
int Farm::rank() const noexcept { return core_->rank; }
int Farm::size() const noexcept { return core_->size; }
int Farm::threads() const noexcept { return core_->threads; }
Options const& Farm::options() const noexcept { return core_->options; }
boost::mpi::communicator const& Farm::communicator() const noexcept { return comm_; }

Statistics const& Farm::statistics() const noexcept { return core_->statistics; }

void Farm::run(detail::Job& job, CallOptions const& call) {
    detail::refuse_nested_call(*core_, job.call_kind());  // before the running call's options change
    // The overrides live in the core's options for this call only; the Farm's come back however
    // the call ends.
    struct Restore {
        Options& target;
        Options saved;
        ~Restore() { target = std::move(saved); }
    } const restore{core_->options, core_->options};
    Options& o = core_->options;
    if (call.chunk_size) o.chunk_size = *call.chunk_size;
    if (call.chunk_seconds) o.chunk_seconds = *call.chunk_seconds;
    if (call.prefetch) o.prefetch = *call.prefetch;
    if (call.retries) o.retries = *call.retries;
    if (call.on_error) o.on_error = *call.on_error;
    if (call.root_computes) o.root_computes = *call.root_computes;
    if (call.progress) o.progress = *call.progress;
    detail::validate(o, size());
    run(job);
}

void Farm::broadcast_bytes(detail::Bytes& bytes) {
    detail::refuse_nested_call(*core_, "broadcast");
    int const root = core_->options.root;
    std::uint64_t size = bytes.size();
    boost::mpi::broadcast(comm_, size, root);
    bytes.resize(size);
    // MPI counts are ints: large values go in pieces of 1 GiB.
    constexpr std::uint64_t piece = std::uint64_t{1} << 30;
    for (std::uint64_t at = 0; at < size; at += piece) {
        int const count = static_cast<int>(std::min(piece, size - at));
        if (int const rc = MPI_Bcast(bytes.data() + at, count, MPI_BYTE, root, core_->comm); rc != MPI_SUCCESS)
            throw boost::mpi::exception("MPI_Bcast", rc);
    }
}

void Farm::run(detail::Job& job) {
    detail::refuse_nested_call(*core_, job.call_kind());
    struct InCall {
        bool& flag;
        explicit InCall(bool& f) : flag(f) { flag = true; }
        ~InCall() { flag = false; }
    } const in_call(core_->in_call);
    ++core_->calls;
    core_->section = core_->journaled_calls;
    if (!core_->options.journal.empty()) ++core_->journaled_calls;
    detail::set_crash_context(rank(), job.call_kind(), detail::crash_file_of(core_->options.journal),
                              core_->run_id, core_->section);
    detail::run_call(*core_, job);
}

}  // namespace taskfarm
