/// @file
/// @brief The shared state behind a Future: filled in on the root's main thread by the executor as
/// results arrive, read by the Future. Nothing here is thread-safe: futures belong to the root's
/// main thread, like the MPI calls that complete them.
#pragma once

#include <chrono>
#include <cstdint>
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

class FutureStateBase {
public:
    explicit FutureStateBase(std::uint64_t id, ExecutorCore* owner) : id_(id), owner_(owner) {}
    virtual ~FutureStateBase() = default;
    FutureStateBase(FutureStateBase const&) = delete;
    FutureStateBase& operator=(FutureStateBase const&) = delete;

    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
    [[nodiscard]] bool done() const noexcept { return done_; }
    /// The task's failure, once done; null when it succeeded.
    [[nodiscard]] TaskFailure const* failure() const noexcept { return failure_ ? &*failure_ : nullptr; }
    /// 1 for the first task of the executor to complete, 2 for the next, ...
    [[nodiscard]] std::uint64_t completion() const noexcept { return completion_; }
    /// The executor that will complete it; null once done.
    [[nodiscard]] ExecutorCore* owner() const noexcept { return owner_; }

    /// Executor: the task succeeded with this encoded result (a result that fails to decode
    /// becomes the task's failure).
    void complete(ByteView result, int rank, std::uint64_t completion) {
        try {
            decode(result);
        } catch (std::exception const& e) {
            failure_ = TaskFailure{id_, rank, std::string("cannot decode the result: ") + e.what()};
        }
        finish(completion);
    }
    /// Executor: the task failed (or was cancelled).
    void fail(TaskFailure failure, std::uint64_t completion) {
        failure_ = std::move(failure);
        finish(completion);
    }

    /// Runs `callback` once the task is done: now if it is, else when the executor completes it.
    void on_done(std::function<void()> callback) {
        if (done_) {
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

    /// Throws the task's failure as a TaskError, if it failed.
    void throw_if_failed() const {
        if (failure_) throw TaskError({*failure_});
    }

protected:
    virtual void decode(ByteView result) = 0;

private:
    void finish(std::uint64_t completion) {
        done_ = true;
        completion_ = completion;
        owner_ = nullptr;
    }

    std::uint64_t id_;
    ExecutorCore* owner_;
    bool done_ = false;
    std::uint64_t completion_ = 0;
    std::optional<TaskFailure> failure_;
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

/// Progresses the executor that owns `state` (sleeping between empty polls) until the state is
/// done or the deadline passes; true if done. Throws if the executor is gone.
bool wait_until_done(FutureStateBase& state, Deadline deadline);
/// One non-blocking round of the owner's progress (receive, dispatch, callbacks).
void poll_owner(FutureStateBase& state);
/// Progresses the owners of `states` until at least one is done.
void wait_until_any_done(std::span<FutureStateBase* const> states);

}  // namespace taskfarm::detail
