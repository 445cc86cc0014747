/// @file
/// @brief The result of a task submitted to an Executor, and waiting on many of them.
///
/// Futures live on the root. They make progress when the root waits on them: `get`, `wait`,
/// `wait_for`, `ready`, `as_completed` and `wait_all` receive results, hand out queued tasks and
/// run completion callbacks, all on the calling (main) thread.
///
/// @code{.cpp}
/// std::vector<taskfarm::Future<double>> futures;
/// for (auto const& p : params) futures.push_back(executor.submit(simulate, p));
/// for (auto& f : taskfarm::as_completed(futures)) {   // completion order, each once
///     try {
///         use(f.get());
///     } catch (taskfarm::TaskError const& e) {        // "task 3 failed on rank 1: ..."
///         report(e.index(), e.rank(), e.what());
///     }
/// }
/// @endcode
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include <taskfarm/detail/future_state.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm {

namespace detail {
template <class R>
struct FutureReference {
    using type = R const&;
};
template <>
struct FutureReference<void> {
    using type = void;
};
}  // namespace detail

/// @brief A task's eventual result. Copies share the same state (like `std::shared_future`).
template <class R>
class Future {
public:
    using value_type = R;
    using reference = typename detail::FutureReference<R>::type;

    Future() = default;
    explicit Future(std::shared_ptr<detail::FutureState<R>> state) : state_(std::move(state)) {}

    /// Whether this future refers to a task (default-constructed ones do not).
    [[nodiscard]] bool valid() const noexcept { return state_ != nullptr; }
    /// The task's number: 0 for the executor's first submitted task, then 1, 2, ... The index
    /// TaskError reports.
    [[nodiscard]] std::uint64_t id() const { return checked().id(); }

    /// Whether the result (or failure) is here; polls the executor once if not.
    [[nodiscard]] bool ready() const {
        auto& s = checked();
        if (!s.done()) detail::poll_owner(s);
        return s.done();
    }

    /// Waits until the task is done.
    void wait() const { detail::wait_until_done(checked(), std::nullopt); }

    /// Waits at most `timeout`: `std::future_status::ready` or `timeout`.
    template <class Rep, class Period>
    std::future_status wait_for(std::chrono::duration<Rep, Period> const& timeout) const {
        auto const deadline =
            std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
        return detail::wait_until_done(checked(), deadline) ? std::future_status::ready : std::future_status::timeout;
    }

    /// The result, waiting for it. @throws TaskError (index() == id(), rank(), message) if the
    /// task threw. The reference lives as long as any copy of this future.
    reference get() const {
        wait();
        state_->throw_if_failed();
        if constexpr (!std::is_void_v<R>) return state_->value();
    }

    /// Calls `callback(future)` when the task is done (at once if it is), on the root's main
    /// thread, from whichever executor call completes it. The callback may submit more tasks.
    template <class Callback>
    void add_done_callback(Callback&& callback) const {
        auto& s = checked();
        s.on_done([f = *this, cb = std::forward<Callback>(callback)]() mutable { cb(f); });
    }

    /// The shared state (for as_completed and wait_all).
    [[nodiscard]] detail::FutureStateBase& state() const { return checked(); }

private:
    detail::FutureState<R>& checked() const {
        if (!state_) throw UsageError("taskfarm: this Future refers to no task (default-constructed or moved from)");
        return *state_;
    }
    std::shared_ptr<detail::FutureState<R>> state_;
};

/// @brief The futures given to `as_completed`, in the order they complete; each exactly once.
/// An input range: iterating waits for the next completion.
template <class R>
class AsCompleted {
public:
    explicit AsCompleted(std::vector<Future<R>> futures) : pending_(std::move(futures)) {}

    class iterator {
    public:
        using value_type = Future<R>;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        explicit iterator(AsCompleted* owner) : owner_(owner) {}
        Future<R>& operator*() const { return owner_->current_; }
        Future<R>* operator->() const { return &owner_->current_; }
        iterator& operator++() {
            owner_->advance();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(iterator const& it, std::default_sentinel_t) { return it.at_end(); }

    private:
        [[nodiscard]] bool at_end() const { return owner_ == nullptr || !owner_->current_.valid(); }
        AsCompleted* owner_ = nullptr;
    };

    iterator begin() {
        if (!started_) {
            started_ = true;
            advance();
        }
        return iterator(this);
    }
    std::default_sentinel_t end() const noexcept { return {}; }

private:
    void advance() {
        current_ = Future<R>();
        if (pending_.empty()) return;
        for (;;) {
            // Of those done, the one that completed first: the order the executor saw them end.
            auto best = pending_.end();
            for (auto it = pending_.begin(); it != pending_.end(); ++it)
                if (it->state().done() && (best == pending_.end() || it->state().completion() < best->state().completion()))
                    best = it;
            if (best != pending_.end()) {
                current_ = std::move(*best);
                pending_.erase(best);
                return;
            }
            std::vector<detail::FutureStateBase*> states;
            states.reserve(pending_.size());
            for (auto& f : pending_) states.push_back(&f.state());
            detail::wait_until_any_done(states);
        }
    }

    std::vector<Future<R>> pending_;
    Future<R> current_;
    bool started_ = false;
};

/// @brief Iterates over `futures` as they complete (like `concurrent.futures.as_completed`).
template <class R>
AsCompleted<R> as_completed(std::vector<Future<R>> futures) {
    return AsCompleted<R>(std::move(futures));
}

/// @brief Waits until every future is done (failed ones too: `get` then throws their error).
template <class R>
void wait_all(std::vector<Future<R>> const& futures) {
    for (auto const& f : futures) f.wait();
}

}  // namespace taskfarm
