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
/// @endcode
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/mpi/communicator.hpp>

#include <taskfarm/detail/job.hpp>
#include <taskfarm/detail/typed_jobs.hpp>
#include <taskfarm/options.hpp>
#include <taskfarm/statistics.hpp>

namespace taskfarm {

namespace detail {
class FarmCore;
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

    /// @brief `out[i] == fn(inputs[i])` on the root, in input order; empty on the other ranks.
    /// @throws TaskError on every rank if a task threw (after the work in flight was drained).
    template <class Fn, class Inputs>
    auto map(Fn&& fn, Inputs const& inputs) -> std::vector<detail::result_of_t<Fn, Inputs>> {
        using R = detail::result_of_t<Fn, Inputs>;
        static_assert(!std::is_void_v<R>, "taskfarm: the function must return a value");
        std::vector<R> out;
        if (is_root()) out.resize(detail::InputTraits<Inputs>::size(inputs));
        detail::MapJob<std::remove_reference_t<Fn>, Inputs> job(fn, inputs, &out);
        run(job);
        return out;
    }

    /// @brief The fold `init op r0 op r1 ...` of every result, in task order, on the root; `init`
    /// on the other ranks. Each block is folded where it ran, so only partial results travel.
    /// `op` must be associative; it need not be commutative.
    template <class Fn, class Op, class Inputs, class T>
    T map_reduce(Fn&& fn, Op&& op, Inputs const& inputs, T init) {
        detail::ReduceJob<std::remove_reference_t<Fn>, std::remove_reference_t<Op>, Inputs, T> job(
            fn, op, inputs, &init);
        run(job);
        return init;
    }

    /// @brief Calls `callback(index, result)` on the root for every task, in completion order
    /// (like `imap_unordered`); each index exactly once. The callback runs on the root's main
    /// thread, one call at a time, while tasks may run on other threads.
    template <class Fn, class Inputs, class Callback>
    void for_each(Fn&& fn, Inputs const& inputs, Callback&& callback) {
        detail::ForEachJob<std::remove_reference_t<Fn>, Inputs, std::remove_reference_t<Callback>> job(
            fn, inputs, callback);
        run(job);
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

private:
    boost::mpi::communicator comm_;  // the farm's duplicate; the engine gets its MPI_Comm through core_
    std::unique_ptr<detail::FarmCore> core_;
};

}  // namespace taskfarm
