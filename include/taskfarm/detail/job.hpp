/// @file
/// @brief The seam between the typed front (templates in farm.hpp) and the compiled engine (src/):
/// the engine sees task indices and bytes only.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

/// A callable reference for the engine's loops: one indirect call per sub-range, never per task.
class RangeBody {
public:
    template <class F>
    explicit RangeBody(F& f)
        : object_(&f), call_([](void* o, std::uint64_t b, std::uint64_t e) { (*static_cast<F*>(o))(b, e); }) {}
    void operator()(std::uint64_t begin, std::uint64_t end) const { call_(object_, begin, end); }

private:
    void* object_;
    void (*call_)(void*, std::uint64_t, std::uint64_t);
};

/// The failures of one block, collected from every thread of the team.
class FailureList {
public:
    void add(std::uint64_t index, std::string message) {
        std::lock_guard lock(mutex_);
        failures_.push_back(TaskFailure{index, -1, std::move(message)});
    }
    [[nodiscard]] std::vector<TaskFailure>& items() noexcept { return failures_; }

private:
    std::mutex mutex_;
    std::vector<TaskFailure> failures_;
};

/// The threads of one rank. `parallel` runs body over sub-ranges of [0, count) on every thread,
/// dynamically, and lets the engine poll MPI on the main thread between sub-ranges.
class Team {
public:
    virtual ~Team() = default;
    virtual void parallel(std::uint64_t count, RangeBody body) = 0;
    [[nodiscard]] virtual int threads() const noexcept = 0;
};

/// FNV-1a of a string: the job-type id that every block carries (see Job::type_id).
inline std::uint64_t name_hash(std::string_view text, std::uint64_t hash = 1469598103934665603ull) noexcept {
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return hash;
}

/// How the journal names a type: its mangled name and size (two builds that disagree on either
/// cannot read each other's bytes).
template <class T>
std::string type_label() {
    return std::string(typeid(T).name()) + "/" + std::to_string(sizeof(T));
}

/// One farm call, type-erased. The root encodes inputs and accepts results; every rank runs blocks.
class Job {
public:
    virtual ~Job() = default;

    /// Root: how many tasks the call has.
    [[nodiscard]] virtual std::uint64_t size() const = 0;

    /// "map", "map_reduce" or "for_each" (the journal keeps the kinds apart).
    [[nodiscard]] virtual char const* call_kind() const = 0;
    /// What a block's payload holds, for the journal's fingerprint: type_label of the result (map,
    /// for_each) or of the accumulator (map_reduce).
    [[nodiscard]] virtual std::string result_type() const = 0;
    /// How that payload is encoded: "raw" or "archive" (Boost binary archive).
    [[nodiscard]] virtual char const* codec() const = 0;
    /// Any rank: a hash of the call kind, function, input and result types. Every block carries the
    /// root's, so a rank making a different farm call is caught instead of decoding garbage.
    [[nodiscard]] virtual std::uint64_t type_id() const = 0;

    /// Root, with a journal: why this call's inputs cannot be journaled (an input type sent as raw
    /// bytes that may hold padding, see codec.hpp), or empty. Checked before the journal is opened.
    [[nodiscard]] virtual std::string journal_input_problem() const { return {}; }

    /// Root: appends the encoded inputs of tasks [first, first + count) to `out`. Called for any
    /// block in any order (retries, a journal's checks), which every input source supports: all are
    /// random access.
    virtual void encode_inputs(std::uint64_t first, std::uint64_t count, Bytes& out) = 0;

    /// A sub-master (Options::group_size): appends the encoded inputs of tasks [sub_first,
    /// sub_first + sub_count), which lie inside the block [first, first + count) whose encoded
    /// inputs are `inputs`, to `out`, so a block can be farmed out again in smaller blocks.
    virtual void slice_inputs(std::uint64_t first, std::uint64_t count, ByteView /*inputs*/, std::uint64_t sub_first,
                              std::uint64_t sub_count, Bytes& /*out*/) const {
        throw UsageError("taskfarm: this " + std::string(call_kind()) +
                         " call cannot be farmed out by sub-masters "
                         "(tasks [" +
                         std::to_string(sub_first) + ", " + std::to_string(sub_first + sub_count) + ") of [" +
                         std::to_string(first) + ", " + std::to_string(first + count) +
                         ")): set Options::group_size = 1");
    }

    /// A sub-master: the encoded results of consecutive pieces of one block (in task order, each
    /// from run_block with no task failed), joined into the results of the whole range they
    /// cover, appended to `out`; false (and `out` untouched) when this job cannot join them, and
    /// the pieces then go up one by one. So the root accepts, journals and folds a group's block
    /// once, not once per piece. map_reduce folds the pieces' partials here, in task order.
    struct Piece {
        std::uint64_t first;
        std::uint64_t count;
        ByteView results;
    };
    virtual bool merge_results(std::span<Piece const> /*pieces*/, Bytes& /*out*/) { return false; }

    /// Any rank: runs tasks [first, first + count) whose inputs are `inputs` on the team and appends
    /// the encoded results to `out` (map, for_each: one value per task, a default one for a task that
    /// threw; map_reduce: the block's segments, one partial fold per maximal run of tasks that did
    /// not throw). A task that throws is recorded in `failures`; the others still run.
    virtual void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out, FailureList& failures,
                           Team& team) = 0;

    /// Root: consumes the results of a block, in the order blocks complete (or were journaled).
    /// `skip` (sorted task indices within the block) lists the tasks that have no result here: they
    /// failed, or their result was accepted before. They must not be consumed; map_reduce throws
    /// if one falls inside a segment.
    virtual void accept_results(std::uint64_t first, std::uint64_t count, ByteView results,
                                std::span<std::uint64_t const> skip) = 0;

    /// Root: where the `bytes` bytes of encoded results of tasks [first, first + count) may be
    /// received directly, so that accept_results has nothing to copy (it is then called with
    /// `results` pointing there); nullptr when they must be received elsewhere first. map of a raw
    /// type answers with its output; the others keep the default.
    [[nodiscard]] virtual std::byte* result_destination(std::uint64_t /*first*/, std::uint64_t /*count*/,
                                                        std::size_t /*bytes*/) {
        return nullptr;
    }
};

}  // namespace taskfarm::detail
