// taskfarm_simulate: the real engine (run_root / run_worker of src/engine) on synthetic tasks.
// Built twice from this file: under SimGrid's SMPI (every rank a simulated core, or T cores with
// --threads; task time charged as simulated compute; run with smpirun) and against the real MPI
// (tasks spin for their duration; run with mpirun), so the two can be compared on the same tasks.
//
//   taskfarm_simulate --tasks=N [--duration=S] [--distribution=fixed|lognormal|file] [--sigma=X]
//                     [--durations-file=PATH] [--seed=K] [--chunk-size=C] [--chunk-seconds=S]
//                     [--prefetch=P] [--root-computes=0|1] [--message-cost=S] [--worker-message-cost=S]
//                     [--probe-cost=S] [--threads=T] [--group-size=G]
//
// --message-cost (--worker-message-cost for workers, if given): CPU seconds charged per message
// sent or received (SMPI build only): the engine's
// measured cost per message, for runs where smpirun does not benchmark the host CPU (SCALING.md).
// --probe-cost: the same per MPI_Iprobe/Improbe/Test/Testsome (0.1 us by default). A rank of T
// cores (--threads) pays both divided by T: its engine thread is one of its T cores.
// --threads=T (SMPI build only): each rank stands for T cores. SMPI ranks cannot run OpenMP
// teams (the pool's helper threads would be OS threads SimGrid does not know), so a rank keeps
// one engine thread and runs its blocks one at a time, T times as fast: its tasks are charged
// duration / T, the root is told the rank has T threads (so it keeps prefetch x T blocks there)
// and the adaptive target is chunk_seconds / T. A chunk then holds as many tasks as on T real
// threads and the root sees the same chunks at the same rate; what is not modelled is contention
// between a node's threads. --group-size=G: the hierarchy's group size (Options::group_size): the
// root, then sub-masters each farming G ranks (with --threads=1: a piece is sized for one core).
// The tasks are taskfarm::indices(N) folded by map_reduce into (count, sum of a hash of the
// index); the root compares the fold with the serial one, so every task ran exactly once. It
// prints one line of key=value: ranks, tasks, work (sum of durations), makespan (the call on the
// root), efficiency = work / (cores x makespan) with cores = ranks x threads, the root's
// utilisation (1 - its sleeping share), tasks/s and chunks/s reached, the root's busy time, the
// root's CPU time and the workers' (of the engine's thread: meaningful in the real build only) per
// chunk, the share of the workers' wall time they had a CPU, their
// tasks' CPU time over their CPU time (the efficiency on a core of one's own, for a noisy
// machine), and check=ok or check=FAILED (exit status 1).
#include <mpi.h>
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <taskfarm/detail/typed_jobs.hpp>
#include <taskfarm/ranges.hpp>

#include "charged_compute.hpp"
#include "engine/farm_core.hpp"
#include "task_durations.hpp"

namespace {

using taskfarm::sim::TaskDurations;

struct Tally {
    std::uint64_t count = 0;
    std::uint64_t sum = 0;  // wraps: still exact, and still associative
};

struct Settings {
    std::uint64_t tasks = 0;
    double duration = 0.001;
    std::string distribution = "fixed";
    double sigma = 0.5;
    std::string durations_file;
    std::uint64_t seed = 1;
    std::size_t chunk_size = 0;
    double chunk_seconds = 0.005;
    int prefetch = taskfarm::Options{}.prefetch;  // the library's default
    bool root_computes = false;
    double message_cost = 0;
    double worker_message_cost = -1;  // < 0: message_cost
    double probe_cost = 1e-7;         // per probe or test (SMPI's own costs are off: run_simulation.sh)
    int threads = 1;                  // cores each rank stands for (see above)
    std::uint64_t group_size = 0;     // 0: flat
};

// --group-size=G: Options::group_size (0 here means flat, as 1 does: the automatic choice would
// ask SMPI for node groups the platform file does not have).
void set_group_size(taskfarm::Options& options, std::uint64_t group_size) {
    if (group_size > static_cast<std::uint64_t>(1) << 20) throw std::invalid_argument("--group-size: too large");
    options.group_size = group_size == 0 ? 1 : static_cast<int>(group_size);
    if (group_size > 0 && options.group_size < 2) throw std::invalid_argument("--group-size: 0 (flat) or at least 2");
}

Settings parse(int argc, char** argv) {
    std::map<std::string, std::string> given;
    for (int i = 1; i < argc; ++i) {
        std::string const arg = argv[i];
        auto const eq = arg.find('=');
        if (arg.rfind("--", 0) != 0 || eq == std::string::npos)
            throw std::invalid_argument("expected --key=value, got '" + arg + "'");
        given[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
    }
    Settings s;
    auto take = [&](char const* key, auto& into) {
        auto const it = given.find(key);
        if (it == given.end()) return;
        using T = std::remove_reference_t<decltype(into)>;
        if constexpr (std::is_same_v<T, std::string>) into = it->second;
        else if constexpr (std::is_same_v<T, bool>) into = it->second == "1" || it->second == "true";
        else if constexpr (std::is_floating_point_v<T>) into = std::stod(it->second);
        else into = static_cast<T>(std::stoull(it->second));
        given.erase(it);
    };
    take("tasks", s.tasks);
    take("duration", s.duration);
    take("distribution", s.distribution);
    take("sigma", s.sigma);
    take("durations-file", s.durations_file);
    take("seed", s.seed);
    take("chunk-size", s.chunk_size);
    take("chunk-seconds", s.chunk_seconds);
    take("prefetch", s.prefetch);
    take("root-computes", s.root_computes);
    take("message-cost", s.message_cost);
    take("worker-message-cost", s.worker_message_cost);
    take("probe-cost", s.probe_cost);
    take("threads", s.threads);
    take("group-size", s.group_size);
    if (!given.empty()) throw std::invalid_argument("unknown option --" + given.begin()->first);
    if (s.tasks == 0) throw std::invalid_argument("--tasks=N is required");
    if (s.threads < 1) throw std::invalid_argument("--threads is at least 1");
#ifndef TASKFARM_UNDER_SMPI
    if (s.threads != 1) throw std::invalid_argument("--threads is emulated under SMPI only: the real build runs 1");
#endif
    if (s.threads > 1 && s.root_computes)
        throw std::invalid_argument(
            "--threads > 1 emulates workers only: the root then only serves (--root-computes=0)");
    return s;
}

TaskDurations durations_of(Settings const& s) {
    if (s.distribution == "fixed") return TaskDurations::fixed(s.duration);
    if (s.distribution == "lognormal") return TaskDurations::lognormal(s.duration, s.sigma, s.seed);
    if (s.distribution == "file") return TaskDurations::from_file(s.durations_file);
    throw std::invalid_argument("--distribution is fixed, lognormal or file, not '" + s.distribution + "'");
}

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

taskfarm::detail::FarmCore make_core(MPI_Comm comm, Settings const& s) {
    taskfarm::detail::FarmCore core;
    core.comm = comm;
    MPI_Comm_rank(comm, &core.rank);
    MPI_Comm_size(comm, &core.size);
    core.options.threads = 1;             // one engine thread per rank: SMPI ranks cannot run OpenMP teams
    core.options.handle_signals = false;  // one process holds every simulated rank
    core.options.chunk_size = s.chunk_size;
    core.options.chunk_seconds = s.chunk_seconds / s.threads;  // a rank of T cores is T times as fast
    set_group_size(core.options, s.group_size);
    core.options.prefetch = s.prefetch;
    core.options.root_computes = s.root_computes;
    core.options.statistics = true;  // the root's sleeping time, for its utilisation
    core.threads = 1;
    // Only the root reads it (to size chunks); on 10^5 workers a copy each would be 40 GB.
    if (core.is_root()) {
        core.rank_threads.assign(static_cast<std::size_t>(core.size), s.threads);
        core.rank_threads[static_cast<std::size_t>(core.rank)] = 1;  // serves (or computes on one thread)
    }
    core.calls = 1;  // what Farm::run counts before its first call
    return core;
}

int run(int argc, char** argv) {
    Settings const settings = parse(argc, argv);
    TaskDurations const durations = durations_of(settings);
#ifdef TASKFARM_UNDER_SMPI
    // SMPI copies the whole group into each rank's duplicate: N^2 entries in all, gigabytes at
    // 10^4 ranks. The engine's tags are its own, and SMPI's collectives use tags of their own.
    MPI_Comm comm = MPI_COMM_WORLD;
#else
    MPI_Comm comm = MPI_COMM_NULL;
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
#endif
    auto core = make_core(comm, settings);
    int const rank = core.rank;
    taskfarm::sim::set_engine_costs(
        {.root = core.options.root,
         .root_message = settings.message_cost,
         .worker_message = settings.worker_message_cost >= 0 ? settings.worker_message_cost : settings.message_cost,
         .probe = settings.probe_cost,
         .worker_cores = settings.threads});
    double const speed = settings.threads;

    auto task = [&durations, rank, speed](std::size_t i) {
        taskfarm::sim::charge(rank, durations.at(i) / speed);
        return Tally{1, taskfarm::sim::mix64(i)};
    };
    auto fold = [](Tally a, Tally b) { return Tally{a.count + b.count, a.sum + b.sum}; };
    Tally result;
    auto inputs = taskfarm::indices(settings.tasks);
    taskfarm::detail::ReduceJob<decltype(task), decltype(fold), decltype(inputs), Tally> job(task, fold, inputs,
                                                                                             &result);
    MPI_Barrier(comm);
    double const cpu_at_start = thread_cpu_seconds();
    // The hierarchy, with --group-size. Each rank tells its group the cores it stands for, as a
    // real rank tells its thread count: a sub-master then keeps prefetch x T pieces on each
    // worker, and the root sizes a group block for all the group's cores (for 1 thread per rank
    // it would be 1/T of the real block, and the root would see T times the real rate). The
    // engine itself keeps one thread per rank.
    if (!core.is_root()) core.threads = settings.threads;
    taskfarm::detail::form_groups(core);
    core.threads = 1;
    taskfarm::detail::run_call(core, job);
    // The real build's calibration figures: the CPU each rank's engine thread used in the call.
    double const cpu[2] = {thread_cpu_seconds() - cpu_at_start, taskfarm::sim::task_cpu_seconds()};
    std::vector<double> cpus(core.is_root() ? 2 * static_cast<std::size_t>(core.size) : 0);
    MPI_Gather(cpu, 2, MPI_DOUBLE, cpus.data(), 2, MPI_DOUBLE, core.options.root, comm);
    int failed = 0;
    if (core.is_root()) {
        Tally serial;
        for (std::uint64_t i = 0; i < settings.tasks; ++i) serial = fold(serial, Tally{1, taskfarm::sim::mix64(i)});
        failed = serial.count != result.count || serial.sum != result.sum;
        auto const& st = core.statistics;
        double const makespan = st.wall_seconds;
        double const work = durations.total(settings.tasks);
        auto const& root = st.ranks.at(static_cast<std::size_t>(core.options.root));
        std::uint64_t chunks = 0;
        double worker_cpu = 0;
        double worker_task_cpu = 0;
        for (auto const& r : st.ranks) {
            chunks += r.chunks;
            if (r.rank == core.options.root) continue;
            worker_cpu += cpus[2 * static_cast<std::size_t>(r.rank)];
            worker_task_cpu += cpus[2 * static_cast<std::size_t>(r.rank) + 1];
        }
        // Every rank stands for `threads` cores, the root's too (it only serves unless it computes).
        double const cores = static_cast<double>(core.size) * settings.threads;
        double const worker_cores = (core.size - (settings.root_computes ? 0 : 1)) *
                                    static_cast<double>(settings.threads);
        // The sub-masters (with --group-size): the share of the call each spent in tasks of its
        // own and the share it was awake otherwise (serving its group and the root), averaged.
        double sub_tasks = 0;
        double sub_awake = 0;
        int subs = 0;
        if (core.groups)
            for (int leader : core.groups->leader_ranks) {
                if (leader == core.options.root || makespan <= 0) continue;
                auto const& r = st.ranks.at(static_cast<std::size_t>(leader));
                sub_tasks += r.busy_seconds / makespan;
                sub_awake += 1 - r.wait_seconds / makespan;
                ++subs;
            }
        double const sub_serving = subs > 0 ? (sub_awake - sub_tasks) / subs : 0;
        std::printf("submasters=%d submaster_tasks_share=%.4f submaster_serving_share=%.4f ", subs,
                    subs > 0 ? sub_tasks / subs : 0, sub_serving);
        std::printf(
            "ranks=%d threads=%d cores=%.0f tasks=%llu work=%.6g makespan=%.6g efficiency=%.4f efficiency_workers=%.4f "
            "root_utilisation=%.4f tasks_per_s=%.4g chunks=%llu chunks_per_s=%.4g root_busy_per_chunk=%.3g "
            "root_cpu_per_chunk=%.3g worker_cpu_per_chunk=%.3g worker_cpu_share=%.4f efficiency_cpu=%.4f check=%s\n",
            core.size, settings.threads, cores, static_cast<unsigned long long>(settings.tasks), work, makespan,
            work / (cores * makespan), work / (worker_cores * makespan),
            makespan > 0 ? 1 - root.wait_seconds / makespan : 0, static_cast<double>(settings.tasks) / makespan,
            static_cast<unsigned long long>(chunks), static_cast<double>(chunks) / makespan,
            chunks > 0 ? (makespan - root.wait_seconds) / static_cast<double>(chunks) : 0,
            chunks > 0 ? cpus[2 * static_cast<std::size_t>(core.options.root)] / static_cast<double>(chunks) : 0,
            chunks > 0 ? worker_cpu / static_cast<double>(chunks) : 0, worker_cpu / ((core.size - 1) * makespan),
            worker_cpu > 0 ? worker_task_cpu / worker_cpu : 0, failed ? "FAILED" : "ok");
        std::fflush(stdout);
    }
#ifndef TASKFARM_UNDER_SMPI
    MPI_Comm_free(&comm);
#endif
    return failed;
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int status = 0;
    try {
        status = run(argc, argv);
    } catch (std::exception const& e) {
        std::fprintf(stderr, "taskfarm_simulate: %s\n", e.what());
        status = 2;
    }
    MPI_Finalize();
    return status;
}
