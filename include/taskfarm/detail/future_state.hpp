/// @file
/// @brief The shared state behind a Future: filled in on the root's main thread by the executor as
/// outcomes arrive, read by the Future. Nothing here is thread-safe: futures belong to the root's
/// main thread, like the MPI calls that complete them.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

class ExecutorCore;

/// Python's future states: pending (queued on the root), running (handed to a rank: it can no
/// longer be cancelled), finished (a result, a failure or a timeout) or cancelled.
enum class FutureStatus { pending, running, finished, cancelled };

class FutureStateBase {
public:
    explicit FutureStateBase(std::uint64_t id, ExecutorCore* owner) : id_(id), owner_(owner) {}
    virtual ~FutureStateBase() = default;
    FutureStateBase(FutureStateBase const&) = delete;
    FutureStateBase& operator=(FutureStateBase const&) = delete;

    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
    [[nodiscard]] FutureStatus status() const noexcept { return status_; }
    [[nodiscard]] bool done() const noexcept {
        return status_ == FutureStatus::finished || status_ == FutureStatus::cancelled;
    }
    [[nodiscard]] bool cancelled() const noexcept { return status_ == FutureStatus::cancelled; }
    /// The task's own failure (it threw), once done; null otherwise.
    [[nodiscard]] TaskFailure const* failure() const noexcept { return failure_ ? &*failure_ : nullptr; }
    /// What get() throws (TaskError, TimeoutError, CancelledError, Interrupted...), null when the
    /// task succeeded or is not done.
    [[nodiscard]] std::exception_ptr error() const noexcept { return error_; }
    /// 1 for the first task of the executor to complete, 2 for the next, ...
    [[nodiscard]] std::uint64_t completion() const noexcept { return completion_; }
    /// The executor that will complete it; null once done.
    [[nodiscard]] ExecutorCore* owner() const noexcept { return owner_; }

    /// Executor: the task was handed to a rank.
    void set_running() noexcept { status_ = FutureStatus::running; }
    /// Executor: the task succeeded with this encoded result (a result that fails to decode
    /// becomes the task's failure).
    void complete(ByteView result, int rank, std::uint64_t completion) {
        try {
            decode(result);
        } catch (std::exception const& e) {
            fail(TaskFailure{id_, rank, std::string("cannot decode the result: ") + e.what()}, completion);
            return;
        }
        finish(FutureStatus::finished, nullptr, completion);
    }
    /// Executor: the task threw.
    void fail(TaskFailure failure, std::uint64_t completion) {
        failure_ = failure;
        finish(FutureStatus::finished, std::make_exception_ptr(TaskError({std::move(failure)})), completion);
    }
    /// Executor: the future ends with `error` (a timeout, an interrupt, the executor gone), or is
    /// cancelled (`error` is then the CancelledError that get() throws).
    void end_with(std::exception_ptr error, bool cancelled, std::uint64_t completion) {
        finish(cancelled ? FutureStatus::cancelled : FutureStatus::finished, std::move(error), completion);
    }

    /// Runs `callback` once the task is done: now if it is, else when the executor completes it.
    void on_done(std::function<void()> callback) {
        if (done()) {
            callback();
        } else {
            callbacks_.push_back(std::move(callback));
        }
    }
    /// Executor: runs the callbacks (once; they are dropped after, which also ends any cycle
    /// through a callback that holds a copy of its own future).
    void run_callbacks() {
        auto callbacks = std::move(callbacks_);
        callbacks_.clear();
        for (auto& c : callbacks) c();
    }

    /// Throws what the task ended with, if not a result.
    void throw_if_failed() const {
        if (error_) std::rethrow_exception(error_);
    }

protected:
    virtual void decode(ByteView result) = 0;

private:
    void finish(FutureStatus status, std::exception_ptr error, std::uint64_t completion) {
        status_ = status;
        error_ = std::move(error);
        completion_ = completion;
        owner_ = nullptr;
    }

    std::uint64_t id_;
    ExecutorCore* owner_;
    FutureStatus status_ = FutureStatus::pending;
    std::uint64_t completion_ = 0;
    std::optional<TaskFailure> failure_;
    std::exception_ptr error_;
    std::vector<std::function<void()>> callbacks_;
};

template <class R>
class FutureState final : public FutureStateBase {
public:
    using FutureStateBase::FutureStateBase;
    using Stored = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
    [[nodiscard]] Stored const& value() const { return *value_; }

protected:
    void decode(ByteView result) override {
        if constexpr (std::is_void_v<R>) {
            value_.emplace();
        } else {
            value_.emplace(decode_value<R>(result));
        }
    }

private:
    std::optional<Stored> value_;
};

using Deadline = std::optional<std::chrono::steady_clock::time_point>;

/// Progresses the owners of `states` (sleeping between empty polls) until `finished()` is true
/// (true) or the deadline passes (false). Throws if a state is not done and its executor is gone.
bool progress_until(std::span<FutureStateBase* const> states, std::function<bool()> const& finished, Deadline deadline);
/// Progresses until `state` is done or the deadline passes; true if done.
bool wait_until_done(FutureStateBase& state, Deadline deadline);
/// One non-blocking round of the owner's progress (receive, dispatch, callbacks).
void poll_owner(FutureStateBase& state);
/// Python's cancel(): true if the task is cancelled now (it was pending) or was already.
bool cancel(FutureStateBase& state);

template <class Rep, class Period>
Deadline deadline_after(std::chrono::duration<Rep, Period> const& timeout) {
    return std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
}

}  // namespace taskfarm::detail
