/// @file
/// @brief The three typed jobs behind map, for_each and map_reduce. Each is a thin adapter: it runs
/// the user's function over a block and says how the block's results are encoded and consumed.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/detail/inputs.hpp>
#include <taskfarm/detail/job.hpp>

namespace taskfarm::detail {

template <class Fn, class Inputs>
using result_of_t =
    std::decay_t<std::invoke_result_t<Fn&, typename InputTraits<Inputs>::value_type const&>>;

/// Runs fn on every task of a block on the team; `store(k, result)` receives each success (from
/// any thread), and a task that throws goes to `failures` with its index and message.
template <class Inputs, class Fn, class Store>
void run_tasks(Fn& fn, std::uint64_t first, std::uint64_t count, ByteView inputs, FailureList& failures,
               Team& team, Store&& store) {
    InputBlock<Inputs> const block(first, count, inputs);
    auto body = [&](std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t k = begin; k < end; ++k) {
            try {
                store(k, std::invoke(fn, block[k]));
            } catch (std::exception const& e) {
                failures.add(first + k, e.what());
            } catch (...) {
                failures.add(first + k, "unknown exception (not derived from std::exception)");
            }
        }
    };
    team.parallel(count, RangeBody(body));
}

/// Runs a block and appends its results in task order; failed tasks leave a default value.
template <class Inputs, class Fn, class R>
void run_block_to_results(Fn& fn, std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out,
                          FailureList& failures, Team& team) {
    if constexpr (is_raw_v<R>) {
        std::size_t const at = out.size();
        out.resize(at + count * sizeof(R));
        std::byte* const base = out.data() + at;
        run_tasks<Inputs>(fn, first, count, inputs, failures, team, [base](std::uint64_t k, R const& r) {
            std::memcpy(base + k * sizeof(R), &r, sizeof(R));
        });
    } else {
        std::vector<R> results(count);
        run_tasks<Inputs>(fn, first, count, inputs, failures, team,
                          [&results](std::uint64_t k, R&& r) { results[k] = std::move(r); });
        encode_values<R>(out, count, [&](std::uint64_t k) -> R const& { return results[k]; });
    }
}

/// map: results land in input order in a vector on the root.
template <class Fn, class Inputs>
class MapJob final : public Job {
public:
    using R = result_of_t<Fn, Inputs>;

    MapJob(Fn& fn, Inputs const& inputs, std::vector<R>* out) : fn_(fn), inputs_(inputs), out_(out) {}

    std::uint64_t size() const override { return InputTraits<Inputs>::size(inputs_); }
    void encode_inputs(std::uint64_t first, std::uint64_t count, Bytes& out) override {
        detail::encode_inputs(inputs_, first, count, out);
    }
    void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out,
                   FailureList& failures, Team& team) override {
        run_block_to_results<Inputs, Fn, R>(fn_, first, count, inputs, out, failures, team);
    }
    void accept_results(std::uint64_t first, std::uint64_t count, ByteView results) override {
        DecodedValues<R> values(results, count);
        for (std::uint64_t k = 0; k < count; ++k) (*out_)[first + k] = values.take(k);
    }

private:
    Fn& fn_;
    Inputs const& inputs_;
    std::vector<R>* out_;
};

/// for_each: every result is handed to a callback on the root as its block arrives.
template <class Fn, class Inputs, class Callback>
class ForEachJob final : public Job {
public:
    using R = result_of_t<Fn, Inputs>;

    ForEachJob(Fn& fn, Inputs const& inputs, Callback& callback)
        : fn_(fn), inputs_(inputs), callback_(callback) {}

    std::uint64_t size() const override { return InputTraits<Inputs>::size(inputs_); }
    void encode_inputs(std::uint64_t first, std::uint64_t count, Bytes& out) override {
        detail::encode_inputs(inputs_, first, count, out);
    }
    void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out,
                   FailureList& failures, Team& team) override {
        run_block_to_results<Inputs, Fn, R>(fn_, first, count, inputs, out, failures, team);
    }
    void accept_results(std::uint64_t first, std::uint64_t count, ByteView results) override {
        DecodedValues<R> values(results, count);
        for (std::uint64_t k = 0; k < count; ++k)
            std::invoke(callback_, static_cast<std::size_t>(first + k), values.take(k));
    }

private:
    Fn& fn_;
    Inputs const& inputs_;
    Callback& callback_;
};

/// map_reduce: each block is folded where it ran (in task order), and the root folds the blocks'
/// partial results in task order too, so `op` needs to be associative, not commutative.
template <class Fn, class Op, class Inputs, class T>
class ReduceJob final : public Job {
public:
    using R = result_of_t<Fn, Inputs>;

    ReduceJob(Fn& fn, Op& op, Inputs const& inputs, T* accumulator)
        : fn_(fn), op_(op), inputs_(inputs), acc_(accumulator) {}

    std::uint64_t size() const override { return InputTraits<Inputs>::size(inputs_); }
    void encode_inputs(std::uint64_t first, std::uint64_t count, Bytes& out) override {
        detail::encode_inputs(inputs_, first, count, out);
    }

    void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out,
                   FailureList& failures, Team& team) override {
        // One partial per sub-range a thread ran, folded in task order afterwards. The per-task
        // store runs on one thread at a time for a given sub-range, keyed by the range's start.
        std::mutex mutex;
        std::map<std::uint64_t, T> partials;
        InputBlock<Inputs> const block(first, count, inputs);
        auto body = [&](std::uint64_t begin, std::uint64_t end) {
            std::optional<T> partial;
            for (std::uint64_t k = begin; k < end; ++k) {
                try {
                    auto r = std::invoke(fn_, block[k]);
                    partial = partial ? T(std::invoke(op_, std::move(*partial), std::move(r)))
                                      : T(std::move(r));
                } catch (std::exception const& e) {
                    failures.add(first + k, e.what());
                } catch (...) {
                    failures.add(first + k, "unknown exception (not derived from std::exception)");
                }
            }
            if (partial) {
                std::lock_guard lock(mutex);
                partials.emplace(begin, std::move(*partial));
            }
        };
        team.parallel(count, RangeBody(body));
        std::optional<T> folded;
        for (auto& [begin, p] : partials)
            folded = folded ? T(std::invoke(op_, std::move(*folded), std::move(p))) : std::move(p);
        encode_value(out, folded);
    }

    void accept_results(std::uint64_t first, std::uint64_t count, ByteView results) override {
        pending_.emplace(first, Pending{count, decode_value<std::optional<T>>(results)});
        // Fold every block that continues the folded prefix; later blocks wait their turn.
        for (auto it = pending_.begin(); it != pending_.end() && it->first == frontier_;
             it = pending_.erase(it)) {
            if (it->second.partial) *acc_ = std::invoke(op_, std::move(*acc_), std::move(*it->second.partial));
            frontier_ += it->second.count;
        }
    }

private:
    struct Pending {
        std::uint64_t count;
        std::optional<T> partial;
    };
    Fn& fn_;
    Op& op_;
    Inputs const& inputs_;
    T* acc_;
    std::uint64_t frontier_ = 0;
    std::map<std::uint64_t, Pending> pending_;
};

}  // namespace taskfarm::detail
