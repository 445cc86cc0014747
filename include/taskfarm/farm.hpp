/// @file
/// @brief The task farm: map a function over inputs across MPI ranks and OpenMP threads.
///
/// Every call is collective: every rank of the communicator makes the same call with the same
/// function. Inputs are read on the root only (other ranks may pass empty ones: they are ignored);
/// results come back on the root.
///
/// @code{.cpp}
/// taskfarm::Environment env(argc, argv);
/// taskfarm::Farm farm;                                   // MPI_COMM_WORLD, root 0
/// std::vector<Params> inputs;
/// if (farm.is_root()) inputs = make_inputs();
/// std::vector<double> out = farm.map(simulate, inputs);  // root: out[i] == simulate(inputs[i])
/// double total = farm.map_reduce(simulate, std::plus<>{}, inputs, 0.0);
/// farm.for_each(simulate, inputs, [](std::size_t i, double r) { std::cout << i << " " << r << "\n"; });
/// auto few = farm.map(simulate, inputs, {.chunk_size = 3});          // options for this call only
/// auto looked_up = farm.map(look_up, taskfarm::shared(table), taskfarm::indices(n));  // fn(table, i)
/// for (double r : farm.imap(simulate, inputs)) write(r);            // input order, window by window
/// @endcode
///
/// Inputs and `taskfarm::shared` values travel to the ranks that run the tasks; a lambda's
/// captures do not (each rank captures its own variables), so capture only what every rank has.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/mpi/communicator.hpp>

#include <taskfarm/call_options.hpp>
#include <taskfarm/detail/adapters.hpp>
#include <taskfarm/detail/job.hpp>
#include <taskfarm/detail/task_checks.hpp>
#include <taskfarm/detail/typed_jobs.hpp>
#include <taskfarm/options.hpp>
#include <taskfarm/ranges.hpp>
#include <taskfarm/shared.hpp>
#include <taskfarm/statistics.hpp>

namespace taskfarm {

namespace detail {
struct FarmCore;
}

/// @brief A root and workers on a communicator. The farm works on its own duplicate of the
/// communicator, so its messages never match the application's. Construction is collective.
class Farm {
public:
    /// A farm on MPI_COMM_WORLD with default options.
    Farm();
    explicit Farm(boost::mpi::communicator const& comm, Options options = {});
    ~Farm();
    Farm(Farm&&) noexcept;
    Farm& operator=(Farm&&) noexcept;

    /// @brief `out[i] == fn(inputs[i])` on the root, in input order; empty on the other ranks. A
    /// function that returns void makes map return void (tasks run for their effects).
    /// `call` overrides the Farm's options for this call only: `{.chunk_size = 3}`.
    /// @throws TaskError on every rank if a task threw (after the work in flight was drained).
    template <class Fn, class Inputs>
    auto map(Fn&& fn, Inputs const& inputs, CallOptions const& call = {}) {
        using F = std::remove_reference_t<Fn>;
        if constexpr (detail::check_task<F, Inputs, false>()) {
            using R = detail::result_of_t<F, Inputs>;
            if constexpr (std::is_void_v<R>) {
                detail::MapJob<F, Inputs> job(fn, inputs, nullptr);
                run(job, call);
            } else {
                std::vector<R> out;
                if (is_root()) out.resize(detail::InputTraits<Inputs>::size(inputs));
                detail::MapJob<F, Inputs> job(fn, inputs, &out);
                run(job, call);
                return out;
            }
        }
    }

    /// @brief map with shared read-only data: `fn(value, inputs[i])`. The root's value is
    /// broadcast once per call to every rank (not once per chunk); tasks get it by const reference.
    template <class Fn, class S, class Inputs>
    auto map(Fn&& fn, Shared<S> shared, Inputs const& inputs, CallOptions const& call = {}) {
        check_shared<Fn, S, Inputs>();
        std::optional<S> local;
        detail::BindShared<std::remove_reference_t<Fn>, S> bound{fn, receive_shared(shared, local)};
        return map(bound, inputs, call);
    }

    /// @brief `out[i] == fn(std::get<0>(args[i]), std::get<1>(args[i]), ...)` (like
    /// `Pool.starmap`); each element of `args` is a std::tuple or std::pair of arguments.
    template <class Fn, class ArgTuples>
    auto starmap(Fn&& fn, ArgTuples const& args, CallOptions const& call = {}) {
        using Tuple = std::remove_cvref_t<typename detail::InputTraits<ArgTuples>::value_type>;
        auto packed = generate(detail::InputTraits<ArgTuples>::size(args), [&args](std::size_t i) {
            return detail::PackedArgs<Tuple>{Tuple(detail::InputTraits<ArgTuples>::get(args, i))};
        });
        detail::Unpack<std::remove_reference_t<Fn>> unpack{fn};
        return map(unpack, packed, call);
    }

    /// @brief The fold `init op r0 op r1 ...` of every result, in task order, on the root; `init`
    /// on the other ranks. Each block is folded where it ran, so only partial results travel.
    /// `op` must be associative; it need not be commutative.
    template <class Fn, class Op, class Inputs, class T>
    T map_reduce(Fn&& fn, Op&& op, Inputs const& inputs, T init, CallOptions const& call = {}) {
        using F = std::remove_reference_t<Fn>;
        if constexpr (detail::check_task<F, Inputs, true>() && detail::check_accumulator<T>()) {
            detail::ReduceJob<F, std::remove_reference_t<Op>, Inputs, T> job(fn, op, inputs, &init);
            run(job, call);
        }
        return init;
    }

    /// @brief map_reduce with shared read-only data: folds `fn(value, inputs[i])`.
    template <class Fn, class Op, class S, class Inputs, class T>
    T map_reduce(Fn&& fn, Op&& op, Shared<S> shared, Inputs const& inputs, T init, CallOptions const& call = {}) {
        check_shared<Fn, S, Inputs>();
        std::optional<S> local;
        detail::BindShared<std::remove_reference_t<Fn>, S> bound{fn, receive_shared(shared, local)};
        return map_reduce(bound, op, inputs, std::move(init), call);
    }

    /// @brief Calls `callback(index, result)` on the root for every task, in completion order
    /// (like `imap_unordered`); each index exactly once; `callback(index)` for a void function.
    /// The callback runs on the root's main thread, one call at a time, while tasks may run on
    /// other threads.
    template <class Fn, class Inputs, class Callback>
    void for_each(Fn&& fn, Inputs const& inputs, Callback&& callback, CallOptions const& call = {}) {
        using F = std::remove_reference_t<Fn>;
        if constexpr (detail::check_task<F, Inputs, false>()) {
            detail::ForEachJob<F, Inputs, std::remove_reference_t<Callback>> job(fn, inputs, callback);
            run(job, call);
        }
    }

    /// @brief for_each with shared read-only data: `callback(index, fn(value, inputs[i]))`.
    template <class Fn, class S, class Inputs, class Callback>
    void for_each(Fn&& fn, Shared<S> shared, Inputs const& inputs, Callback&& callback, CallOptions const& call = {}) {
        check_shared<Fn, S, Inputs>();
        std::optional<S> local;
        detail::BindShared<std::remove_reference_t<Fn>, S> bound{fn, receive_shared(shared, local)};
        for_each(bound, inputs, callback, call);
    }

    /// @brief The results in input order, as a range for a range-for on the root (like
    /// `Pool.imap`). The tasks run in windows of `call.window` tasks (default 1024), one farm call
    /// each: the root holds one window's results at most, and the loop gets a window's results
    /// once that window is done. Collective: on the other ranks imap serves every window and
    /// returns an empty range once the root's range is exhausted or destroyed; while the root's
    /// loop body runs they wait, so the body must make no other call on this farm. No journal.
    template <class Fn, class Inputs>
    auto imap(Fn&& fn, Inputs&& inputs, CallOptions const& call = {});

    /// @brief Every rank gets the root's `value` (in place), e.g. once per job for data that
    /// several calls use: capture it by reference in the functions after. Collective.
    template <class T>
    void broadcast(T& value) {
        static_assert(detail::serializable_v<T> && std::is_default_constructible_v<T>,
                      "taskfarm: broadcast needs a default-constructible type that can be serialized");
        detail::Bytes bytes;
        if (is_root()) detail::encode_value(bytes, value);
        broadcast_bytes(bytes);
        if (!is_root()) value = detail::decode_value<T>(bytes);
    }

    [[nodiscard]] bool is_root() const noexcept;
    [[nodiscard]] int rank() const noexcept;
    [[nodiscard]] int size() const noexcept;
    /// OpenMP threads this rank runs tasks on.
    [[nodiscard]] int threads() const noexcept;
    [[nodiscard]] Options const& options() const noexcept;
    /// The farm's own duplicate of the communicator it was given.
    [[nodiscard]] boost::mpi::communicator const& communicator() const noexcept;
    /// The last call's per-rank statistics, on the root (empty elsewhere, and when
    /// `Options::statistics` is off or the call was interrupted).
    [[nodiscard]] Statistics const& statistics() const noexcept;

    /// Runs a type-erased job collectively (what map, for_each and map_reduce call).
    void run(detail::Job& job);
    /// The same, with `call`'s options in place of the Farm's for this call.
    void run(detail::Job& job, CallOptions const& call);
    /// Collective: every rank's `bytes` become the root's.
    void broadcast_bytes(detail::Bytes& bytes);

private:
    boost::mpi::communicator comm_;  // the farm's duplicate; the engine gets its MPI_Comm through core_
    template <class Fn, class S, class Inputs>
    static void check_shared() {
        static_assert(std::is_invocable_v<std::remove_reference_t<Fn>&, S const&, detail::input_of_t<Inputs> const&>,
                      "taskfarm: with taskfarm::shared(value), the function must take (Shared const&, "
                      "Input const&): the shared value first, by const reference, then the input");
        static_assert(detail::serializable_v<S> && std::is_default_constructible_v<S>,
                      "taskfarm: shared data must be default-constructible and serializable, like inputs");
    }

    /// The call's shared value: the root's own, and a decoded copy in `local` elsewhere.
    template <class S>
    S const& receive_shared(Shared<S> shared, std::optional<S>& local) {
        detail::Bytes bytes;
        if (is_root()) detail::encode_value(bytes, shared.value);
        broadcast_bytes(bytes);
        if (is_root()) return shared.value;
        local.emplace(detail::decode_value<S>(bytes));
        return *local;
    }

    std::unique_ptr<detail::FarmCore> core_;
};

}  // namespace taskfarm

#include <taskfarm/detail/ordered_stream.hpp>
