/// @file
/// @brief The result of a task submitted to an Executor, and waiting on many of them, after
/// Python's `concurrent.futures` (Future, wait, as_completed, TimeoutError, CancelledError).
///
/// Futures live on the root. They make progress when the root calls into them: `get`, `result`,
/// `exception`, `wait`, `wait_for`, `done`, `ready`, `as_completed`, `taskfarm::wait` and `wait_all`
/// receive outcomes, hand out queued tasks and run completion callbacks, all on the calling (main)
/// thread.
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
#include <exception>
#include <future>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <taskfarm/detail/future_state.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm {

/// @brief A wait ran out of time (`Future::result(timeout)`, `Future::exception(timeout)`,
/// `as_completed(futures, timeout)`), or a task ran over ExecutorOptions::task_timeout_seconds
/// (then `get()` throws it).
class TimeoutError : public Error {
public:
    using Error::Error;
};

/// @brief The future was cancelled (`Future::cancel()`, `Executor::shutdown(wait, true)`, or an
/// exception unwinding through the root's executor): `get()` and `exception()` throw it.
class CancelledError : public Error {
public:
    using Error::Error;
};

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

    /// Whether the task finished or was cancelled (Python's done()); polls the executor once if not.
    [[nodiscard]] bool done() const {
        auto& s = checked();
        if (!s.done()) detail::poll_owner(s);
        return s.done();
    }
    /// The same as done().
    [[nodiscard]] bool ready() const { return done(); }
    /// Whether the task was handed to a rank and has not ended (it can no longer be cancelled).
    [[nodiscard]] bool running() const { return checked().status() == detail::FutureStatus::running; }
    [[nodiscard]] bool cancelled() const { return checked().cancelled(); }

    /// Python's cancel(): a task still queued on the root is cancelled and will never run (its
    /// callbacks run now; get() throws CancelledError): true. True too if it was already cancelled;
    /// false if it is running (handed to a rank) or finished.
    bool cancel() const { return detail::cancel(checked()); }

    /// Waits until the task is done.
    void wait() const { detail::wait_until_done(checked(), std::nullopt); }

    /// Waits at most `timeout`: `std::future_status::ready` or `timeout`.
    template <class Rep, class Period>
    std::future_status wait_for(std::chrono::duration<Rep, Period> const& timeout) const {
        return detail::wait_until_done(checked(), detail::deadline_after(timeout)) ? std::future_status::ready
                                                                                   : std::future_status::timeout;
    }

    /// The result, waiting for it. @throws TaskError (index() == id(), rank(), message) if the
    /// task threw; TimeoutError if it ran over ExecutorOptions::task_timeout_seconds;
    /// CancelledError if it was cancelled; Interrupted if a signal stopped the executor first.
    /// The reference lives as long as any copy of this future.
    reference get() const {
        wait();
        state_->throw_if_failed();
        if constexpr (!std::is_void_v<R>) return state_->value();
    }
    /// Python's result(timeout): get(), or TimeoutError if the task is not done within `timeout`.
    template <class Rep, class Period>
    reference result(std::chrono::duration<Rep, Period> const& timeout) const {
        if (wait_for(timeout) != std::future_status::ready) throw_timeout(timeout);
        return get();
    }
    reference result() const { return get(); }

    /// Python's exception(): waits; the exception get() would throw, or null if the task succeeded.
    /// @throws CancelledError if the future was cancelled.
    std::exception_ptr exception() const {
        wait();
        return exception_of_done();
    }
    /// The same waiting at most `timeout`. @throws TimeoutError if not done by then.
    template <class Rep, class Period>
    std::exception_ptr exception(std::chrono::duration<Rep, Period> const& timeout) const {
        if (wait_for(timeout) != std::future_status::ready) throw_timeout(timeout);
        return exception_of_done();
    }

    /// Calls `callback(future)` when the task is done or cancelled (at once if it is), on the
    /// root's main thread, from whichever executor call completes it. The callback may submit
    /// more tasks.
    template <class Callback>
    void add_done_callback(Callback&& callback) const {
        auto& s = checked();
        s.on_done([f = *this, cb = std::forward<Callback>(callback)]() mutable { cb(f); });
    }

    /// The shared state (for as_completed, wait and wait_all).
    [[nodiscard]] detail::FutureStateBase& state() const { return checked(); }

private:
    detail::FutureState<R>& checked() const {
        if (!state_) throw UsageError("taskfarm: this Future refers to no task (default-constructed or moved from)");
        return *state_;
    }
    std::exception_ptr exception_of_done() const {
        if (state_->cancelled()) state_->throw_if_failed();  // the CancelledError
        return state_->error();
    }
    template <class Duration>
    [[noreturn]] void throw_timeout(Duration const& timeout) const {
        throw TimeoutError("taskfarm: task " + std::to_string(state_->id()) + " is not done after " +
                           std::to_string(std::chrono::duration<double>(timeout).count()) + " s");
    }
    std::shared_ptr<detail::FutureState<R>> state_;
};

namespace detail {
/// The futures once each (copies share a state), in first-seen order, as Python's sets would hold them.
template <class R>
std::vector<Future<R>> distinct(std::vector<Future<R>> futures) {
    std::set<FutureStateBase const*> seen;
    std::vector<Future<R>> out;
    out.reserve(futures.size());
    for (auto& f : futures)
        if (seen.insert(&f.state()).second) out.push_back(std::move(f));
    return out;
}
}  // namespace detail

/// @brief The futures given to `as_completed`, in the order they complete; each exactly once.
/// An input range: iterating waits for the next completion (and throws TimeoutError once the
/// deadline of `as_completed(futures, timeout)` passes with futures still not done).
template <class R>
class AsCompleted {
public:
    explicit AsCompleted(std::vector<Future<R>> futures, detail::Deadline deadline = std::nullopt)
        : pending_(detail::distinct(std::move(futures))), deadline_(deadline) {}

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
                if (it->state().done() &&
                    (best == pending_.end() || it->state().completion() < best->state().completion()))
                    best = it;
            if (best != pending_.end()) {
                current_ = std::move(*best);
                pending_.erase(best);
                return;
            }
            std::vector<detail::FutureStateBase*> states;
            states.reserve(pending_.size());
            for (auto& f : pending_) states.push_back(&f.state());
            auto const any_done = [&] {
                return std::any_of(states.begin(), states.end(), [](auto* s) { return s->done(); });
            };
            if (!detail::progress_until(states, any_done, deadline_))
                throw TimeoutError("taskfarm: as_completed: " + std::to_string(pending_.size()) +
                                   " futures are still not done at its deadline");
        }
    }

    std::vector<Future<R>> pending_;
    detail::Deadline deadline_;
    Future<R> current_;
    bool started_ = false;
};

/// @brief Iterates over `futures` as they complete (like `concurrent.futures.as_completed`):
/// those already done first, then each as the root receives its outcome; duplicates once.
template <class R>
AsCompleted<R> as_completed(std::vector<Future<R>> futures) {
    return AsCompleted<R>(std::move(futures));
}
/// @brief The same; advancing throws TimeoutError once `timeout` (from this call) has passed
/// with futures not yet done.
template <class R, class Rep, class Period>
AsCompleted<R> as_completed(std::vector<Future<R>> futures, std::chrono::duration<Rep, Period> const& timeout) {
    return AsCompleted<R>(std::move(futures), detail::deadline_after(timeout));
}

/// When `taskfarm::wait` returns (Python's FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED).
enum class ReturnWhen { first_completed, first_exception, all_completed };
inline constexpr ReturnWhen FIRST_COMPLETED = ReturnWhen::first_completed;
inline constexpr ReturnWhen FIRST_EXCEPTION = ReturnWhen::first_exception;
inline constexpr ReturnWhen ALL_COMPLETED = ReturnWhen::all_completed;

/// What `taskfarm::wait` returns: the futures done (finished or cancelled) and the others, each
/// once, in the order given.
template <class R>
struct DoneAndNotDone {
    std::vector<Future<R>> done;
    std::vector<Future<R>> not_done;
};

/// @brief Python's `concurrent.futures.wait`: waits until any future is done (FIRST_COMPLETED), any
/// finished by throwing (FIRST_EXCEPTION; a cancelled one does not count; with none, all done), or
/// all are done (ALL_COMPLETED), or `timeout` has passed (no timeout: `std::nullopt`). Never throws
/// on a timeout: the sets say what is done.
template <class R>
DoneAndNotDone<R> wait(std::vector<Future<R>> const& futures, ReturnWhen return_when = ALL_COMPLETED,
                       std::optional<std::chrono::duration<double>> timeout = std::nullopt) {
    std::vector<Future<R>> const all = detail::distinct(futures);
    std::vector<detail::FutureStateBase*> states;
    states.reserve(all.size());
    for (auto const& f : all) states.push_back(&f.state());
    auto const finished = [&] {
        bool all_done = true;
        for (auto* s : states) {
            if (!s->done()) {
                all_done = false;
                continue;
            }
            if (return_when == ReturnWhen::first_completed) return true;
            if (return_when == ReturnWhen::first_exception && !s->cancelled() && s->error()) return true;
        }
        return all_done;
    };
    detail::progress_until(states, finished,
                           timeout ? detail::deadline_after(*timeout) : detail::Deadline(std::nullopt));
    DoneAndNotDone<R> out;
    for (auto const& f : all) (f.state().done() ? out.done : out.not_done).push_back(f);
    return out;
}

/// @brief Waits until every future is done (failed ones too: `get` then throws their error).
template <class R>
void wait_all(std::vector<Future<R>> const& futures) {
    for (auto const& f : futures) f.wait();
}

}  // namespace taskfarm
