// `taskfarm run`: the root reads the tasks and the joblog, every rank runs tasks through the
// library's Farm::for_each (one task per chunk: commands are long), and the root logs and prints
// each result as it arrives. Stops (signals, --halt-on-error) work without library support: the
// root hands out "skip" records once stopping, and each rank's task function checks its own
// signal state before and while it runs a command.
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/mpi/collectives/broadcast.hpp>
#include <taskfarm/taskfarm.hpp>

#include "commands.hpp"
#include "console.hpp"
#include "results/joblog.hpp"
#include "results/output_writer.hpp"
#include "results/progress.hpp"
#include "results/result_sink.hpp"
#include "results/run_summary.hpp"
#include "run/command_guardian.hpp"
#include "run/halt_channel.hpp"
#include "run/halt_policy.hpp"
#include "run/stop_state.hpp"
#include "run/task_runner.hpp"
#include "run_options.hpp"
#include "tasks/command_template.hpp"
#include "tasks/task_list.hpp"
#include "tasks/task_record.hpp"

namespace taskfarm::cli {

namespace {

double epoch_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// --delay: the earliest start of each task handed out, `delay` seconds after the one before.
class StartSchedule {
public:
    explicit StartSchedule(double delay) : delay_(delay) {}
    double next() {
        if (delay_ <= 0) return 0;
        std::lock_guard lock(mutex_);
        double const start = std::max(epoch_now(), last_ + delay_);
        last_ = start;
        return start;
    }

private:
    double delay_;
    double last_ = 0;
    std::mutex mutex_;
};

/// Makes task records on the root as the farm hands them out, so a stop is seen at once: after
/// it, every record is a "skip" and no new command starts anywhere.
struct TaskSource {
    std::vector<TaskSpec> const* specs = nullptr;
    std::vector<std::size_t> const* todo = nullptr;
    StopState const* stop = nullptr;
    StartSchedule* schedule = nullptr;

    TaskRecord operator()(std::size_t i) const {
        TaskSpec const& spec = (*specs)[(*todo)[i]];
        TaskRecord record;
        record.number = spec.number;
        record.skip = !spec.error.empty() || stop->stopping();
        if (record.skip) return record;
        record.command = spec.command;
        record.slot_offsets = spec.slot_offsets;
        if (schedule) record.not_before = schedule->next();
        return record;
    }
};

/// This thread's slot, GNU parallel's {%} and $PARALLEL_JOBSLOT: 1.. on the root, then the next
/// `threads` numbers for each rank. A rank's task threads take the indices 0..threads-1 in the
/// order they first run a task.
std::uint64_t slot_of_this_thread(int rank, int threads) {
    static std::atomic<int> next_index{0};
    thread_local int const index = next_index.fetch_add(1);
    return static_cast<std::uint64_t>(rank) * static_cast<std::uint64_t>(threads) +
           static_cast<std::uint64_t>(index % threads) + 1;
}

/// Waits for a --delay start time; returns early when the run stops.
void wait_until(double epoch, StopState const& stop) {
    while (!stop.stopping()) {
        double const left = epoch - epoch_now();
        if (left <= 0) return;
        std::this_thread::sleep_for(std::chrono::duration<double>(std::min(left, 0.05)));
    }
}

/// "1 task", "3 tasks".
std::string counted(std::size_t n, std::string const& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

/// How the root's preparation ended; broadcast (as an int) so that every rank takes the same road.
enum class Plan : int { run = 0, nothing_to_do = 1, failed = 2 };

/// What every rank's run shares beyond the options.
struct RankContext {
    bool threads_call_mpi = false;        ///< MPI_THREAD_MULTIPLE: the halt channel can work
    CommandGuardian* guardian = nullptr;  ///< watches the commands should this rank die
    pid_t mpirun = 0;                     ///< Open MPI's launcher of this rank, else 0

    /// Whether Open MPI's mpirun stopped the run with SIGTERM (its exit status is then 1,
    /// whatever ours; a SIGUSR1 it forwards leaves the status ours).
    [[nodiscard]] bool stopped_by_mpirun() const noexcept {
        StopState const& stop = process_stop_state();
        return mpirun != 0 && stop.first_sender() == mpirun &&
               (stop.first_signal() == SIGTERM || stop.first_signal() == SIGINT);
    }
};

Plan broadcast_plan(Farm& farm, Plan plan) {
    int code = static_cast<int>(plan);
    boost::mpi::broadcast(farm.communicator(), code, farm.options().root);
    return static_cast<Plan>(code);
}

/// The root's state for one run: the tasks, what is left to do, and where results go.
struct RootRun {
    std::vector<TaskSpec> specs;
    std::vector<std::size_t> todo;  ///< indices into specs, in task order
    std::size_t already_done = 0;
    std::unique_ptr<JoblogWriter> joblog;
    std::optional<Console> console;
    std::optional<OutputWriter> output;
};

std::vector<TaskSpec> make_tasks(RunOptions const& o) {
    if (!o.arguments.empty()) return tasks_from_arguments(o.command_template, o.arguments);
    if (!o.command_template.empty()) return tasks_from_template(o.command_template, o.input, o.header, o.table_format);
    return tasks_from_file(o.input);
}

/// --dry-run: every command that would run, one per line on stdout (`{%}` as written: the slot
/// is known only where a task starts); rows that cannot be made are said on stderr.
void print_dry_run(RootRun& run) {
    for (std::size_t const i : run.todo) {
        TaskSpec const& spec = run.specs[i];
        if (!spec.error.empty())
            run.console->message("taskfarm: " + spec.where() + ": " + spec.error + " (it would not run)");
        else run.console->write_out(with_slot(spec.command, spec.slot_offsets, "{%}") + "\n");
    }
}

/// Reads the tasks and the joblog and opens the outputs. Throws InputError on bad input.
Plan prepare(RunOptions const& o, RootRun& run) {
    run.specs = make_tasks(o);
    if (run.specs.empty())
        throw InputError(o.input + ": no tasks: every line is empty or a # comment" +
                         std::string(o.header ? " (or the header)" : ""));
    run.console.emplace(STDOUT_FILENO, STDERR_FILENO, o.progress || ::isatty(STDERR_FILENO) == 1);

    JoblogHistory history;
    if (o.resume != ResumeMode::none) history = read_joblog(o.joblog);
    for (auto const& warning : history.warnings) run.console->message("taskfarm: warning: " + warning);
    std::size_t in_part = 0;
    for (std::size_t i = 0; i < run.specs.size(); ++i) {
        auto const& spec = run.specs[i];
        if (!o.part.contains(spec.number)) continue;
        ++in_part;
        if (!already_done(history, spec.number, o.resume)) {
            run.todo.push_back(i);
            continue;
        }
        ++run.already_done;
        auto const& logged = history.last.at(spec.number);
        if (!spec.command.empty() && logged.command != spec.command)
            run.console->message("taskfarm: warning: " + spec.where() + " differs from the joblog's command for Seq " +
                                 std::to_string(spec.number) + " ('" + logged.command +
                                 "'); skipping it as done (the joblog matches tasks by number)");
    }
    std::string const of_part = o.part.whole() ? "" : " of part " + o.part.text();
    if (in_part == 0) {  // a job array with more elements than tasks
        run.console->message("taskfarm: nothing to do: part " + o.part.text() + " has no tasks (" + o.input + " has " +
                             counted(run.specs.size(), "task") + ")");
        return Plan::nothing_to_do;
    }
    if (run.todo.empty()) {
        run.console->message("taskfarm: nothing to do: all " + std::to_string(in_part) + " tasks" + of_part +
                             " are done according to " + o.joblog);
        return Plan::nothing_to_do;
    }
    if (o.dry_run) {
        print_dry_run(run);
        return Plan::nothing_to_do;
    }
    if (!o.joblog.empty())
        run.joblog = std::make_unique<JoblogWriter>(o.joblog, o.resume != ResumeMode::none, o.joblog_fsync);
    run.output.emplace(*run.console, o.output_dir, o.tag, o.joblog_fsync);
    if (o.keep_order) {
        std::vector<std::uint64_t> order;
        for (std::size_t const i : run.todo) order.push_back(run.specs[i].number);
        run.output->keep_order(std::move(order));
    }
    return Plan::run;
}

TaskPolicy task_policy(RunOptions const& o, int rank, RankContext const& context) {
    TaskPolicy policy;
    policy.guardian = context.guardian;
    policy.timeout = o.timeout;
    policy.kill_grace = o.kill_grace;
    policy.retries = o.retries;
    policy.max_output = static_cast<std::size_t>(o.max_output);
    policy.stop_grace = o.grace;
    policy.host = host_name();
    policy.rank = rank;
    return policy;
}

/// The farm's task function: never throws (a library TaskError would end the whole call). On
/// the root, `halt` (may be null) hears of each result at once, so that the root's next task
/// never starts after the failure that halts the run.
auto task_function(TaskPolicy const& policy, int threads, HaltTracker* halt) {
    return [&policy, threads, halt](TaskRecord const& handed_out) {
        try {
            StopState& stop = process_stop_state();
            TaskRecord record = handed_out;
            record.slot = slot_of_this_thread(policy.rank, threads);
            record.command = with_slot(record.command, record.slot_offsets, std::to_string(record.slot));
            if (!record.skip && record.not_before > 0) wait_until(record.not_before, stop);
            TaskOutcome outcome = run_task(record, policy, stop);
            if (halt && halt->note(outcome)) stop.halt(halt->policy().when == HaltPolicy::When::now);
            return outcome;
        } catch (std::exception const& e) {
            TaskOutcome outcome;
            outcome.number = handed_out.number;
            outcome.state = TaskState::spawn_failed;
            outcome.exit_code = -1;
            outcome.host = policy.host;
            outcome.rank = policy.rank;
            outcome.error = e.what();
            return outcome;
        }
    };
}

int run_as_root(Farm& farm, RunOptions const& o, RankContext const& context) {
    RootRun run;
    Plan plan = Plan::failed;
    int status = exit_usage;
    try {
        plan = prepare(o, run);
        status = exit_all_succeeded;
    } catch (std::exception const& e) {
        std::cerr << "taskfarm: " << e.what() << "\n";
    }
    if (broadcast_plan(farm, plan) != Plan::run) return status;

    int const slots = farm.size() * farm.threads();
    run.console->message("taskfarm: " + counted(run.todo.size(), "task") +
                         (o.part.whole() ? "" : " of part " + o.part.text()) +
                         (run.already_done ? " (" + std::to_string(run.already_done) + " already done)" : "") + " on " +
                         counted(static_cast<std::size_t>(slots), "slot") + " (" +
                         counted(static_cast<std::size_t>(farm.size()), "rank") + " x " +
                         counted(static_cast<std::size_t>(farm.threads()), "thread") + ")");
    auto const start = std::chrono::steady_clock::now();
    StopState& stop = process_stop_state();
    ProgressReporter progress(*run.console, run.todo.size(), o.status_interval);
    std::optional<HaltTracker> halt;
    if (o.halt.when != HaltPolicy::When::never) halt.emplace(o.halt, run.todo.size());
    HaltTracker* const halt_ptr = halt ? &*halt : nullptr;
    ResultSink sink(*run.console, *run.output, run.joblog.get(), &progress, stop, halt_ptr);
    sink.summary().add_already_done(run.already_done);

    HaltChannel channel(farm.communicator(), farm.options().root, farm.size() > 1 && context.threads_call_mpi);
    bool halt_sent = false;
    TaskPolicy const policy = task_policy(o, farm.rank(), context);
    StartSchedule schedule(o.delay);
    auto const inputs = taskfarm::generate(run.todo.size(), TaskSource{&run.specs, &run.todo, &stop, &schedule});
    try {
        farm.for_each(task_function(policy, farm.threads(), halt_ptr), inputs, [&](std::size_t i, TaskOutcome outcome) {
            sink.accept(run.specs[run.todo[i]], std::move(outcome));
            if (halt && halt->halted() && !halt_sent) {
                halt_sent = true;
                channel.send_halt(o.halt.when == HaltPolicy::When::now);
            }
        });
        channel.finish_root();
    } catch (std::exception const& e) {
        channel.finish_root();
        progress.finish();
        run.console->message(std::string("taskfarm: the run failed: ") + e.what());
        return exit_usage;
    }
    progress.finish();
    run.output->flush_held();

    double const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    RunSummary const& summary = sink.summary();
    std::string text = summary.format(wall, slots);
    int exit_status = summary.exit_status(stop.interrupted());
    if (exit_status != exit_interrupted && halt) exit_status = *halt->exit_status();
    if (stop.interrupted() && exit_status == exit_interrupted)
        text +=
            "taskfarm: interrupted by " + signal_name(stop.last_signal()) +
            (context.stopped_by_mpirun() ? " from mpirun" : "") + ": " + std::to_string(summary.not_run()) +
            " tasks did not run or were cut short; run the same command with --resume to finish them (exit status " +
            std::to_string(exit_interrupted) + (context.stopped_by_mpirun() ? "; mpirun's own is 1" : "") + ")\n";
    else if (halt && halt->halted())
        text += "taskfarm: halted by --halt " + o.halt.text() + ": " + std::to_string(summary.not_run()) +
                " tasks not run or killed (exit status " + std::to_string(exit_status) + ")\n";
    run.console->write_err(text);
    return exit_status;
}

int run_as_worker(Farm& farm, RunOptions const& o, RankContext const& context) {
    Plan const plan = broadcast_plan(farm, Plan::failed);
    if (plan != Plan::run) return plan == Plan::nothing_to_do ? exit_all_succeeded : exit_usage;
    HaltChannel channel(farm.communicator(), farm.options().root, farm.size() > 1 && context.threads_call_mpi);
    TaskPolicy policy = task_policy(o, farm.rank(), context);
    policy.poll = [&channel] { channel.poll(process_stop_state()); };
    std::vector<TaskSpec> const no_specs;
    std::vector<std::size_t> const no_todo;
    auto const inputs = taskfarm::generate(0, TaskSource{&no_specs, &no_todo, &process_stop_state(), nullptr});
    try {
        farm.for_each(task_function(policy, farm.threads(), nullptr), inputs, [](std::size_t, TaskOutcome const&) {});
        channel.finish_worker(process_stop_state());
    } catch (std::exception const&) {
        return exit_usage;  // the root says what went wrong
    }
    return exit_all_succeeded;
}

/// Open MPI's mpirun, killed (kill -9, a crashed login node), leaves its ranks running as
/// orphans that would go on starting tasks and writing the joblog that a resubmitted run then
/// shares. The kernel sends SIGTERM when the parent dies: that is a stop like any other (no new
/// task, every finished task logged). Open MPI ends the ranks about a second later; the command
/// guardian then gives the commands in flight their --grace. The library does the same only when
/// it handles signals, which the CLI does itself. A dead mpirun also leaves the root's stdout and
/// stderr without a reader: SIGPIPE must not kill the root before it logs.
void stop_when_the_launcher_dies(pid_t launcher) {
    ::signal(SIGPIPE, SIG_IGN);  // the commands get SIG_DFL back (process_runner)
    if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr) return;
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && ::getppid() != launcher) ::raise(SIGTERM);
}

/// Whether Open MPI's mpirun (or its orted) started this process: then a SIGTERM from the parent
/// means mpirun is stopping the job on a SIGINT or SIGTERM of its own.
bool launched_by_open_mpi() { return std::getenv("OMPI_MCA_orte_hnp_uri") != nullptr; }

/// What the root says at once when mpirun stops the job (see install_stop_handlers).
std::string mpirun_stop_note() {
    return "taskfarm: mpirun is stopping the job (it got SIGINT or SIGTERM): Open MPI exits with status 1, not " +
           std::to_string(exit_interrupted) +
           " (it sets 1 before it stops the ranks), and kills the ranks a second later. Finished tasks are in the "
           "joblog; running commands get --grace, then SIGTERM, and are run again by --resume. For a clean stop "
           "with status " +
           std::to_string(exit_interrupted) + ", send mpirun SIGUSR1.\n";
}

}  // namespace

int run_command(std::vector<std::string> const& args, int& argc, char**& argv, bool prints) {
    RunOptions const o = parse_run_options(args);
    if (o.help) {
        if (prints) std::cout << run_help();
        return 0;
    }
    Options farm_options;
    farm_options.chunk_size = 1;  // a command takes seconds to hours: hand them out one by one
    farm_options.prefetch = 1;    // and never hold one back on a busy rank
    farm_options.threads = resolve_threads(o.threads, std::getenv("SLURM_CPUS_PER_TASK"));
    // The CLI stops on signals itself (it must kill running commands and log what finished), so
    // the library must not take SIGTERM/SIGINT/SIGUSR1 over during the call.
    farm_options.handle_signals = false;
    // The root's main thread answers workers and logs results at once, never after a command of
    // its own; its other threads (--threads of them) run the root's commands.
    farm_options.root_main_thread_serves = true;

    // Forked while this process has one thread, before MPI starts.
    CommandGuardian guardian(o.grace, TaskPolicy{}.kill_grace);
    pid_t const launcher = ::getppid();
    // MULTIPLE, so that task threads can look for a halt (the halt channel); without it only the
    // root's own tasks see a halt at once.
    Environment environment(argc, argv, ThreadLevel::multiple);
    RankContext context;
    context.threads_call_mpi = environment.provided() == ThreadLevel::multiple;
    context.guardian = &guardian;
    if (launched_by_open_mpi()) context.mpirun = launcher;
    boost::mpi::communicator const world;
    bool const root_says = context.mpirun != 0 && world.rank() == farm_options.root;
    // After MPI is up, so that ours are the handlers in place.
    install_stop_handlers(context.mpirun, root_says ? mpirun_stop_note() : std::string());
    stop_when_the_launcher_dies(launcher);
    Farm farm(world, farm_options);
    return farm.is_root() ? run_as_root(farm, o, context) : run_as_worker(farm, o, context);
}

}  // namespace taskfarm::cli
