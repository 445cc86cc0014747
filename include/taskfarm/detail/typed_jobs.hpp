/// @file
/// @brief The three typed jobs behind map, for_each and map_reduce. Each is a thin adapter: it runs
/// the user's function over a block and says how the block's results are encoded and consumed.
/// A function that returns void sends no result bytes at all.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/detail/inputs.hpp>
#include <taskfarm/detail/job.hpp>
#include <taskfarm/detail/running_task.hpp>

namespace taskfarm::detail {

template <class Fn, class Inputs>
using result_of_t = std::decay_t<std::invoke_result_t<Fn&, typename InputTraits<Inputs>::value_type const&>>;

/// Runs fn on every task of a block on the team; `store(k, make)` is called for each task (from any
/// thread) with `make()` running the task, so a store can construct the result in place; a task
/// that throws goes to `failures` with its index and message.
template <class Inputs, class Fn, class Store>
void run_tasks(Fn& fn, std::uint64_t first, std::uint64_t count, ByteView inputs, FailureList& failures, Team& team,
               Store&& store) {
    InputBlock<Inputs> const block(first, count, inputs);
    auto body = [&](std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t k = begin; k < end; ++k) {
            note_running(first + k);
            try {
                store(k, [&]() -> decltype(auto) { return std::invoke(fn, block[k]); });
            } catch (std::exception const& e) {
                failures.add(first + k, e.what());
            } catch (...) {
                failures.add(first + k, "unknown exception (not derived from std::exception)");
            }
        }
    };
    team.parallel(count, RangeBody(body));
}

/// How the journal names a result type (void has no size).
template <class R>
std::string result_label() {
    if constexpr (std::is_void_v<R>) {
        return "void";
    } else {
        return type_label<R>();
    }
}

template <class R>
char const* result_codec() {
    if constexpr (std::is_void_v<R>) {
        return "none";
    } else {
        return is_raw_v<R> ? "raw" : "archive";
    }
}

/// Runs a block and appends its results in task order; failed tasks leave a default value.
template <class Inputs, class Fn, class R>
void run_block_to_results(Fn& fn, std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out,
                          FailureList& failures, Team& team) {
    if constexpr (std::is_void_v<R>) {
        (void)out;
        run_tasks<Inputs>(fn, first, count, inputs, failures, team, [](std::uint64_t, auto&& make) { make(); });
    } else if constexpr (is_raw_v<R>) {
        std::size_t const at = out.size();
        out.resize(at + count * sizeof(R));
        std::byte* const base = out.data() + at;
        bool const aligned = reinterpret_cast<std::uintptr_t>(base) % alignof(R) == 0;
        run_tasks<Inputs>(fn, first, count, inputs, failures, team, [base, aligned](std::uint64_t k, auto&& make) {
            if (aligned) {
                // The result is built where it will be sent from: no copy of a large result.
                ::new (static_cast<void*>(base + k * sizeof(R))) R(make());
            } else {
                R const r = make();
                std::memcpy(base + k * sizeof(R), &r, sizeof(R));
            }
        });
    } else if (team.threads() == 1) {
        // One thread runs the tasks in task order (ThreadTeam): each result is encoded into the
        // message as soon as it is made and then freed, so a block of large results never holds
        // them all (fresh memory for each, faulted in page by page, then encoded in one go).
        ValueWriter<R> writer(out, count);
        std::uint64_t next = 0;  // the task whose result is written next
        std::exception_ptr encode_error;
        auto write_up_to = [&](std::uint64_t k, R const* value) {
            if (encode_error) return;
            try {
                if (k < next) throw Error("taskfarm: a block's tasks ran out of order on one thread");
                for (; next < k; ++next) writer.put(R{});  // tasks that threw leave a default value
                if (value != nullptr) {
                    writer.put(*value);
                    ++next;
                }
            } catch (...) {
                encode_error = std::current_exception();
            }
        };
        run_tasks<Inputs>(fn, first, count, inputs, failures, team, [&](std::uint64_t k, auto&& make) {
            R const result = make();
            write_up_to(k, &result);
        });
        write_up_to(count, nullptr);
        // Not a task's failure: the block cannot be encoded (the caller fails it whole).
        if (encode_error) std::rethrow_exception(encode_error);
    } else {
        std::vector<R> results(count);
        run_tasks<Inputs>(fn, first, count, inputs, failures, team,
                          [&results](std::uint64_t k, auto&& make) { results[k] = make(); });
        encode_values<R>(out, count, [&](std::uint64_t k) -> R const& { return results[k]; });
    }
}

/// Calls `consume(k)` for every k in [0, count) whose task first + k is not in `skip` (sorted).
template <class Consume>
void for_each_kept(std::uint64_t first, std::uint64_t count, std::span<std::uint64_t const> skip, Consume&& consume) {
    auto next_skip = skip.begin();
    for (std::uint64_t k = 0; k < count; ++k) {
        while (next_skip != skip.end() && *next_skip < first + k) ++next_skip;
        if (next_skip != skip.end() && *next_skip == first + k) continue;
        consume(k);
    }
}

/// What map and for_each share: inputs in, one encoded result per task out.
template <class Fn, class Inputs>
class PerTaskJob : public Job {
public:
    using R = result_of_t<Fn, Inputs>;

    PerTaskJob(Fn& fn, Inputs const& inputs) : fn_(fn), inputs_(inputs) {}

    std::uint64_t size() const override { return InputTraits<Inputs>::size(inputs_); }
    std::string result_type() const override { return result_label<R>(); }
    char const* codec() const override { return result_codec<R>(); }
    std::string journal_input_problem() const override { return journal_inputs_problem<Inputs>(); }
    void encode_inputs(std::uint64_t first, std::uint64_t count, Bytes& out) override {
        detail::encode_inputs(inputs_, first, count, out);
    }
    void slice_inputs(std::uint64_t first, std::uint64_t count, ByteView inputs, std::uint64_t sub_first,
                      std::uint64_t sub_count, Bytes& out) const override {
        detail::slice_inputs<Inputs>(first, count, inputs, sub_first, sub_count, out);
    }
    void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out, FailureList& failures,
                   Team& team) override {
        run_block_to_results<Inputs, Fn, R>(fn_, first, count, inputs, out, failures, team);
    }
    bool merge_results(std::span<Job::Piece const> pieces, Bytes& out) override {
        if constexpr (std::is_void_v<R>) {
            return true;  // no result bytes to join
        } else if constexpr (is_raw_v<R>) {
            for (auto const& piece : pieces) {
                if (piece.results.size() != piece.count * sizeof(R))
                    throw_block_size_mismatch(piece.results.size(), piece.count * sizeof(R));
                out.insert(out.end(), piece.results.begin(), piece.results.end());
            }
            return true;
        } else {
            // Archived values: decoded and encoded again into one archive for the whole range.
            std::uint64_t total = 0;
            for (auto const& piece : pieces) total += piece.count;
            ValueWriter<R> writer(out, total);
            for (auto const& piece : pieces) {
                SequentialValues<R> values(piece.results, piece.count);
                for (std::uint64_t k = 0; k < piece.count; ++k) writer.put(values.take(k));
            }
            return true;
        }
    }

protected:
    std::uint64_t type_id_for(char const* kind) const {
        return name_hash(std::string(kind) + typeid(Fn).name() + "|" + typeid(Inputs).name() + "|" + result_label<R>());
    }

private:
    Fn& fn_;
    Inputs const& inputs_;
};

/// Where map puts its results: a vector, or nothing for a void function.
template <class R>
struct MapOutput {
    using type = std::vector<R>;
};
template <>
struct MapOutput<void> {
    using type = std::nullptr_t;
};

/// map: results land in input order in a vector on the root.
template <class Fn, class Inputs>
class MapJob final : public PerTaskJob<Fn, Inputs> {
public:
    using R = result_of_t<Fn, Inputs>;
    using Output = typename MapOutput<R>::type;

    MapJob(Fn& fn, Inputs const& inputs, Output* out) : PerTaskJob<Fn, Inputs>(fn, inputs), out_(out) {}

    char const* call_kind() const override { return "map"; }
    std::uint64_t type_id() const override { return this->type_id_for(call_kind()); }
    void accept_results(std::uint64_t first, std::uint64_t count, ByteView results,
                        std::span<std::uint64_t const> skip) override {
        if constexpr (std::is_void_v<R>) {
            if (!results.empty()) throw_block_size_mismatch(results.size(), 0);
            return;
        } else {
            accept_values(first, count, results, skip);
        }
    }

private:
    void accept_values(std::uint64_t first, std::uint64_t count, ByteView results,
                       std::span<std::uint64_t const> skip) requires(!std::is_void_v<R>) {
        if constexpr (is_raw_v<R> && !std::is_same_v<R, bool>) {
            if (skip.empty()) {
                // Raw results of a whole block: one copy straight into place, or none at all when
                // they were received there (result_destination).
                if (results.size() != count * sizeof(R)) throw_block_size_mismatch(results.size(), count * sizeof(R));
                if (results.data() != reinterpret_cast<std::byte const*>(out_->data() + first))
                    std::memcpy(static_cast<void*>(out_->data() + first), results.data(), results.size());
                return;
            }
        }
        SequentialValues<R> values(results, count);
        for_each_kept(first, count, skip, [&](std::uint64_t k) { (*out_)[first + k] = values.take(k); });
    }
    std::byte* result_destination(std::uint64_t first, std::uint64_t count, std::size_t bytes) override {
        if constexpr (is_raw_v<R> && !std::is_same_v<R, bool>) {
            if (bytes == count * sizeof(R) && first <= out_->size() && count <= out_->size() - first)
                return reinterpret_cast<std::byte*>(out_->data() + first);
        }
        return nullptr;
    }

    Output* out_;
};

/// for_each: every result is handed to a callback on the root as its block arrives.
template <class Fn, class Inputs, class Callback>
class ForEachJob final : public PerTaskJob<Fn, Inputs> {
public:
    using R = result_of_t<Fn, Inputs>;

    ForEachJob(Fn& fn, Inputs const& inputs, Callback& callback)
        : PerTaskJob<Fn, Inputs>(fn, inputs), callback_(callback) {}

    char const* call_kind() const override { return "for_each"; }
    // The callback is left out: it runs on the root only, so other ranks may pass another one.
    std::uint64_t type_id() const override { return this->type_id_for(call_kind()); }
    void accept_results(std::uint64_t first, std::uint64_t count, ByteView results,
                        std::span<std::uint64_t const> skip) override {
        if constexpr (std::is_void_v<R>) {
            // A void function's callback gets the index of each task that ran.
            if (!results.empty()) throw_block_size_mismatch(results.size(), 0);
            for_each_kept(first, count, skip,
                          [&](std::uint64_t k) { std::invoke(callback_, static_cast<std::size_t>(first + k)); });
        } else {
            if constexpr (is_raw_v<R>) {
                if (results.size() == count * sizeof(R) &&
                    reinterpret_cast<std::uintptr_t>(results.data()) % alignof(R) == 0) {
                    // Raw results are handed to the callback where they were received: a large result
                    // is not copied again (the bytes are R's object representation, written by MPI).
                    auto const* values = std::launder(reinterpret_cast<R const*>(results.data()));
                    for_each_kept(first, count, skip, [&](std::uint64_t k) {
                        std::invoke(callback_, static_cast<std::size_t>(first + k), values[k]);
                    });
                    return;
                }
            }
            // Each value is handed on as an xvalue: a callback that takes it by value moves it, one
            // that reads it leaves its memory to the next value's decoding.
            SequentialValues<R> values(results, count);
            for_each_kept(first, count, skip, [&](std::uint64_t k) {
                std::invoke(callback_, static_cast<std::size_t>(first + k), std::move(values.take_ref(k)));
            });
        }
    }

private:
    Callback& callback_;
};

/// A maximal run of tasks [first, first + count) of one block that all succeeded, folded.
template <class T>
struct Segment {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    T partial;
};

/// A map_reduce block on the wire: u64 segment count, (u64 first, u64 count) per segment, then the
/// partials encoded as one block of values.
template <class T>
void encode_segments(Bytes& out, std::vector<Segment<T>> const& segments) {
    auto put = [&out](std::uint64_t v) {
        auto const* p = reinterpret_cast<std::byte const*>(&v);
        out.insert(out.end(), p, p + sizeof v);
    };
    put(segments.size());
    for (auto const& s : segments) {
        put(s.first);
        put(s.count);
    }
    encode_values<T>(out, segments.size(), [&](std::uint64_t k) -> T const& { return segments[k].partial; });
}

template <class T>
std::vector<Segment<T>> decode_segments(ByteView in) {
    auto get = [&in](std::size_t at) {
        std::uint64_t v = 0;
        if (at + sizeof v > in.size()) throw_block_size_mismatch(in.size(), at + sizeof v);
        std::memcpy(&v, in.data() + at, sizeof v);
        return v;
    };
    std::uint64_t const n = get(0);
    if (n > in.size() / 16) throw_block_size_mismatch(in.size(), 8 + n * 16);
    std::vector<Segment<T>> segments(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        segments[i].first = get(8 + 16 * i);
        segments[i].count = get(16 + 16 * i);
    }
    DecodedValues<T> partials(in.subspan(8 + 16 * n), n);
    for (std::uint64_t i = 0; i < n; ++i) segments[i].partial = partials.take(i);
    return segments;
}

/// map_reduce: each block is folded where it ran (in task order) into segments that stop at every
/// task that threw, and the root folds the segments in task order as the folded prefix reaches
/// them, so `op` needs to be associative, not commutative, and a retried task fills its hole in
/// the right place.
template <class Fn, class Op, class Inputs, class T>
class ReduceJob final : public Job {
public:
    using R = result_of_t<Fn, Inputs>;

    ReduceJob(Fn& fn, Op& op, Inputs const& inputs, T* accumulator)
        : fn_(fn), op_(op), inputs_(inputs), acc_(accumulator) {}

    std::uint64_t size() const override { return InputTraits<Inputs>::size(inputs_); }
    char const* call_kind() const override { return "map_reduce"; }
    std::string result_type() const override { return type_label<T>(); }
    char const* codec() const override { return is_raw_v<T> ? "raw" : "archive"; }
    std::uint64_t type_id() const override {
        return name_hash(std::string("map_reduce") + typeid(Fn).name() + "|" + typeid(Op).name() + "|" +
                         typeid(Inputs).name() + "|" + type_label<T>());
    }
    std::string journal_input_problem() const override { return journal_inputs_problem<Inputs>(); }
    void encode_inputs(std::uint64_t first, std::uint64_t count, Bytes& out) override {
        detail::encode_inputs(inputs_, first, count, out);
    }
    void slice_inputs(std::uint64_t first, std::uint64_t count, ByteView inputs, std::uint64_t sub_first,
                      std::uint64_t sub_count, Bytes& out) const override {
        detail::slice_inputs<Inputs>(first, count, inputs, sub_first, sub_count, out);
    }

    void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out, FailureList& failures,
                   Team& team) override {
        // Each sub-range a thread runs yields its own segments; they are joined in task order after.
        std::mutex mutex;
        std::map<std::uint64_t, Segment<T>> by_first;
        InputBlock<Inputs> const block(first, count, inputs);
        auto body = [&](std::uint64_t begin, std::uint64_t end) {
            std::vector<Segment<T>> mine;
            bool open = false;  // whether mine.back() ends at the task before k
            for (std::uint64_t k = begin; k < end; ++k) {
                note_running(first + k);
                try {
                    auto r = std::invoke(fn_, block[k]);
                    if (open) {
                        mine.back().partial = T(std::invoke(op_, std::move(mine.back().partial), std::move(r)));
                        ++mine.back().count;
                    } else {
                        mine.push_back(Segment<T>{first + k, 1, T(std::move(r))});
                        open = true;
                    }
                } catch (std::exception const& e) {
                    failures.add(first + k, e.what());
                    open = false;
                } catch (...) {
                    failures.add(first + k, "unknown exception (not derived from std::exception)");
                    open = false;
                }
            }
            std::lock_guard lock(mutex);
            for (auto& s : mine) by_first.emplace(s.first, std::move(s));
        };
        team.parallel(count, RangeBody(body));
        std::vector<Segment<T>> joined;
        for (auto& [begin, s] : by_first) join(joined, std::move(s));
        encode_segments(out, joined);
    }

    bool merge_results(std::span<Job::Piece const> pieces, Bytes& out) override {
        std::vector<Segment<T>> joined;
        for (auto const& piece : pieces) {
            for (auto& s : decode_segments<T>(piece.results)) join(joined, std::move(s));
        }
        encode_segments(out, joined);
        return true;
    }

    void accept_results(std::uint64_t first, std::uint64_t count, ByteView results,
                        std::span<std::uint64_t const> skip) override {
        for (auto& s : decode_segments<T>(results)) {
            if (s.count == 0 || s.first < first || s.first + s.count > first + count)
                throw Error("taskfarm: a map_reduce block of tasks [" + std::to_string(first) + ", " +
                            std::to_string(first + count) + ") holds a segment outside it");
            auto const hit = std::lower_bound(skip.begin(), skip.end(), s.first);
            if (hit != skip.end() && *hit < s.first + s.count)
                throw Error("taskfarm: the result of task " + std::to_string(*hit) +
                            " of a map_reduce arrived twice (or with a failure)");
            pending_.emplace(s.first, Pending{s.count, std::move(s.partial)});
        }
        // Fold every segment that continues the folded prefix; later ones wait for the holes.
        for (auto it = pending_.begin(); it != pending_.end() && it->first == frontier_; it = pending_.erase(it)) {
            *acc_ = std::invoke(op_, std::move(*acc_), std::move(it->second.partial));
            frontier_ += it->second.count;
        }
    }

private:
    // Appends `s` to `joined` (in task order), folding it into the last segment when it continues it.
    void join(std::vector<Segment<T>>& joined, Segment<T>&& s) {
        if (!joined.empty() && joined.back().first + joined.back().count == s.first) {
            joined.back().partial = T(std::invoke(op_, std::move(joined.back().partial), std::move(s.partial)));
            joined.back().count += s.count;
        } else {
            joined.push_back(std::move(s));
        }
    }
    struct Pending {
        std::uint64_t count;
        T partial;
    };
    Fn& fn_;
    Op& op_;
    Inputs const& inputs_;
    T* acc_;
    std::uint64_t frontier_ = 0;
    std::map<std::uint64_t, Pending> pending_;
};

}  // namespace taskfarm::detail
