/// @file
/// @brief The seam between the typed front (templates in farm.hpp) and the compiled engine (src/):
/// the engine sees task indices and bytes only.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
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

/// One farm call, type-erased. The root encodes inputs and accepts results; every rank runs blocks.
class Job {
public:
    virtual ~Job() = default;

    /// Root: how many tasks the call has.
    [[nodiscard]] virtual std::uint64_t size() const = 0;

    /// Root: appends the encoded inputs of tasks [first, first + count) to `out`. Called with
    /// increasing `first`.
    virtual void encode_inputs(std::uint64_t first, std::uint64_t count, Bytes& out) = 0;

    /// Any rank: runs tasks [first, first + count) whose inputs are `inputs` on the team and appends
    /// the encoded results (or the block's partial fold) to `out`. A task that throws is recorded
    /// in `failures`; the others still run.
    virtual void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out,
                           FailureList& failures, Team& team) = 0;

    /// Root: consumes the results of a block, in the order blocks complete.
    virtual void accept_results(std::uint64_t first, std::uint64_t count, ByteView results) = 0;
};

}  // namespace taskfarm::detail
