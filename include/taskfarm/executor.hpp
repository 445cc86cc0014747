/// @file
/// @brief A futures executor over MPI ranks, for programs whose root drives the work as it goes
/// (like `concurrent.futures` / `mpi4py.futures.MPICommExecutor`): the root runs ordinary code and
/// submits tasks; the other ranks serve them.
///
/// Construction is collective. On the worker ranks the constructor serves tasks and returns only
/// when the root's executor is destroyed (or shut down), so SPMD code reads:
///
/// @code{.cpp}
/// double simulate(double beta) { ... }
/// TASKFARM_TASK(simulate);
///
/// int main(int argc, char** argv) {
///     taskfarm::Environment env(argc, argv);
///     taskfarm::Executor executor;                    // workers serve in here
///     if (executor.is_root()) {
///         auto f = executor.submit(simulate, 0.5);    // a taskfarm::Future<double>
///         std::vector<double> all = executor.map(simulate, std::vector<double>{0.1, 0.2, 0.3});
///         std::printf("%g %zu\n", f.get(), all.size());
///     }
/// }                                                   // the root's executor ends: workers return
/// @endcode
///
/// The root runs tasks on background threads of its own too (ExecutorOptions::root_computes; always
/// with one rank), and every rank runs as many tasks at once as it has threads.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/mpi/communicator.hpp>

#include <taskfarm/detail/future_state.hpp>
#include <taskfarm/detail/inputs.hpp>
#include <taskfarm/detail/task_args.hpp>
#include <taskfarm/errors.hpp>
#include <taskfarm/future.hpp>
#include <taskfarm/statistics.hpp>
#include <taskfarm/task.hpp>

namespace taskfarm {

struct ExecutorOptions {
    /// The rank that submits tasks (and gets the futures).
    int root = 0;
    /// Tasks a rank runs at once, each on its own thread. 0: `OMP_NUM_THREADS`, else
    /// `SLURM_CPUS_PER_TASK`, else 1.
    int threads = 0;
    /// Tasks each worker holds beyond one per thread, so it does not wait a round trip for the
    /// next. A task handed to a worker counts as running: it can no longer be cancelled.
    int prefetch = 1;
    /// The root runs tasks on its own `threads` too (background threads; the main thread stays
    /// the program's). Always with one rank.
    bool root_computes = true;
    /// SIGTERM, SIGINT and SIGUSR1 on any rank stop the executor: the root's next executor call
    /// throws Interrupted, the workers return from the constructor (see Options::handle_signals).
    bool handle_signals = true;
    /// > 0: a task not done this many seconds after it was handed to a rank (a worker's prefetch
    /// queue counts; prefetch = 0 times running tasks only) fails with TimeoutError. It keeps running where it is (a thread cannot be stopped safely) and holds its
    /// thread until it ends; its result is then dropped. 0: no limit.
    double task_timeout_seconds = 0;
    /// Gather every rank's statistics when the executor shuts down (`Executor::statistics()` on
    /// the root), as Options::statistics does per farm call. Set alike on every rank.
    bool statistics = true;
    /// A Chrome trace-event JSON file of the executor's whole life (a track per rank and thread,
    /// a block per task), written by the root when it shuts down; `taskfarm report FILE` draws it.
    /// Empty: none. Set alike on every rank (empty or not).
    std::string trace;
};

/// @brief Runs registered tasks on the ranks of a communicator (its own duplicate of it), driven by
/// the root. Not thread-safe: the root submits and waits from its main thread.
class Executor {
public:
    /// An executor on MPI_COMM_WORLD.
    Executor();
    /// Collective. Workers serve here until the root's executor shuts down.
    explicit Executor(boost::mpi::communicator const& comm, ExecutorOptions options = {});
    /// Root: shutdown(); an exception unwinding through the root's scope cancels the queued tasks
    /// instead of running them (their callbacks do not run).
    ~Executor();
    Executor(Executor const&) = delete;
    Executor& operator=(Executor const&) = delete;

    [[nodiscard]] bool is_root() const noexcept;
    [[nodiscard]] int rank() const noexcept;
    [[nodiscard]] int size() const noexcept;
    /// The executor's own duplicate of the communicator it was given.
    [[nodiscard]] boost::mpi::communicator const& communicator() const noexcept;

    /// @brief Root: runs `fn(args...)` somewhere; `fn` must be registered (TASKFARM_TASK).
    /// Arguments are converted to `fn`'s parameter types here and copied to the rank that runs it.
    template <class R, class... Params, class... Args>
    Future<R> submit(R (*fn)(Params...), Args&&... args) {
        return submit_named<R, Params...>(detail::TaskRegistry::instance().name_of(detail::address_of(fn)),
                                          std::forward<Args>(args)...);
    }
    /// @brief Root: the same for a task registered with `register_task`.
    template <class R, class... Params, class... Args>
    Future<R> submit(TaskRef<R(Params...)> const& task, Args&&... args) {
        return submit_named<R, Params...>(task.name(), std::forward<Args>(args)...);
    }

    /// @brief Root: `fn(inputs[i])` for every input, one future each, in input order. `inputs`: a
    /// random-access sized range, `taskfarm::indices(n)` or `taskfarm::generate(n, make)`.
    template <class Fn, class Inputs>
    auto map_async(Fn fn, Inputs const& inputs) {
        using Traits = detail::InputTraits<Inputs>;
        std::vector<decltype(submit(fn, Traits::get(inputs, 0)))> futures;
        auto const n = Traits::size(inputs);
        futures.reserve(n);
        for (std::uint64_t i = 0; i < n; ++i) futures.push_back(submit(fn, Traits::get(inputs, i)));
        return futures;
    }

    /// @brief Root: `out[i] == fn(inputs[i])`, in input order.
    /// @throws TaskError after every task ended if any failed; its indices are input positions.
    template <class Fn, class Inputs>
    auto map(Fn fn, Inputs const& inputs) {
        return collect(map_async(fn, inputs));
    }

    /// @brief Root: `out[i] == fn(std::get<0>(args[i]), std::get<1>(args[i]), ...)`, like
    /// `itertools.starmap`: each element of `args` is a tuple (or pair) of arguments.
    template <class Fn, class ArgTuples>
    auto starmap(Fn fn, ArgTuples const& args) {
        using Traits = detail::InputTraits<ArgTuples>;
        auto submit_one = [&](auto const& tuple) {
            return std::apply([&](auto const&... a) { return submit(fn, a...); }, tuple);
        };
        std::vector<decltype(submit_one(Traits::get(args, 0)))> futures;
        auto const n = Traits::size(args);
        futures.reserve(n);
        for (std::uint64_t i = 0; i < n; ++i) futures.push_back(submit_one(Traits::get(args, i)));
        return collect(std::move(futures));
    }

    /// Root: waits until no task is queued or running (tasks submitted by callbacks meanwhile
    /// included) and every completion callback has run.
    void wait_idle();

    /// Root: Python's shutdown(wait, cancel_futures). Submitting afterwards is a UsageError.
    /// `cancel_futures`: the tasks still queued on the root are cancelled (never run; their
    /// futures throw CancelledError). `wait`: waits for everything else (callbacks included, which
    /// may still submit), then releases the workers (their constructors return). Without `wait` it
    /// returns at once; the workers are released by the first executor call that finds nothing
    /// left, or by the destructor. Idempotent; the destructor calls shutdown(true).
    void shutdown(bool wait = true, bool cancel_futures = false);

    /// Threads this rank runs tasks on.
    [[nodiscard]] int threads() const noexcept;
    /// Root, after shutdown (with ExecutorOptions::statistics): tasks, busy and idle time, bytes
    /// per rank over the executor's life. Empty before, or after an interrupt.
    [[nodiscard]] Statistics const& statistics() const noexcept;

private:
    template <class R, class... Params, class... Args>
    Future<R> submit_named(std::string const& name, Args&&... args) {
        static_assert(sizeof...(Params) == sizeof...(Args), "taskfarm: wrong number of arguments for this task");
        std::tuple<std::decay_t<Params>...> const values(std::forward<Args>(args)...);
        auto state = std::make_shared<detail::FutureState<R>>(next_id(), core());
        enqueue(name, detail::encode_args(values), state);
        return Future<R>(std::move(state));
    }

    template <class R>
    static auto collect(std::vector<Future<R>> futures) {
        wait_all(futures);
        std::vector<TaskFailure> failures;
        for (std::size_t i = 0; i < futures.size(); ++i)
            if (auto const* f = futures[i].state().failure()) failures.push_back(TaskFailure{i, f->rank, f->message});
        if (!failures.empty()) throw TaskError(std::move(failures));
        for (auto const& f : futures) f.state().throw_if_failed();  // a timeout, cancel or interrupt
        if constexpr (std::is_void_v<R>) {
            return;
        } else {
            std::vector<R> out;
            out.reserve(futures.size());
            for (auto& f : futures) out.push_back(f.get());
            return out;
        }
    }

    /// Root only: the next task id (throws UsageError elsewhere or after shutdown).
    std::uint64_t next_id();
    detail::ExecutorCore* core() const noexcept { return core_.get(); }
    void enqueue(std::string const& name, detail::Bytes args, std::shared_ptr<detail::FutureStateBase> state);

    std::unique_ptr<detail::ExecutorCore> core_;
    int uncaught_at_construction_ = std::uncaught_exceptions();
};

}  // namespace taskfarm
