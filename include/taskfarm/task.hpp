/// @file
/// @brief Functions an Executor can run, registered by name on every rank.
///
/// The root names a task by its registered name, so every rank must register the same functions:
/// register at namespace scope (static initialization) or before constructing the Executor.
///
/// @code{.cpp}
/// double simulate(Params p) { ... }
/// TASKFARM_TASK(simulate);                     // registered as "simulate"
/// // or: inline auto const simulate_task = taskfarm::register_task("simulate", simulate);
/// auto f = executor.submit(simulate, Params{0.5});
/// @endcode
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/detail/task_args.hpp>

namespace taskfarm {

namespace detail {

/// Runs a registered function: decodes its arguments and appends its encoded result.
using TaskInvoker = std::function<void(ByteView args, Bytes& result)>;

/// The process-wide table of tasks by name (and by function address, so `submit(fn, ...)` can find
/// the name). It holds functions only, never executor state; lookups after static
/// initialization are read-only and so safe from any thread.
class TaskRegistry {
public:
    static TaskRegistry& instance();

    /// Registers `name`. The same name for the same function again is harmless (a header included
    /// twice); for another function it makes the name unusable (reported at use, since static
    /// initialization cannot throw usefully).
    void add(std::string name, std::uintptr_t address, TaskInvoker invoke);
    /// The name `address` was registered under; throws UsageError if it was not.
    [[nodiscard]] std::string const& name_of(std::uintptr_t address) const;
    /// The invoker of `name`; throws UsageError if none or ambiguous.
    [[nodiscard]] TaskInvoker const& invoker(std::string_view name) const;

private:
    struct Entry {
        std::uintptr_t address = 0;
        TaskInvoker invoke;
        bool ambiguous = false;
    };
    struct Table;
    Table& table() const;
};

template <class F>
std::uintptr_t address_of(F* fn) noexcept {
    return reinterpret_cast<std::uintptr_t>(fn);
}

template <class R, class... Params>
TaskInvoker make_invoker(R (*fn)(Params...)) {
    return [fn](ByteView in, Bytes& out) {
        auto args = decode_args<std::decay_t<Params>...>(in);
        if constexpr (std::is_void_v<R>) {
            std::apply(fn, std::move(args));
        } else {
            encode_value(out, std::apply(fn, std::move(args)));
        }
    };
}

}  // namespace detail

template <class Signature>
class TaskRef;

/// @brief A registered task: its name and its function, for `Executor::submit`.
template <class R, class... Params>
class TaskRef<R(Params...)> {
public:
    using result_type = R;
    TaskRef(std::string name, R (*fn)(Params...)) : name_(std::move(name)), fn_(fn) {}
    [[nodiscard]] std::string const& name() const noexcept { return name_; }
    [[nodiscard]] R (*function() const noexcept)(Params...) { return fn_; }

private:
    std::string name_;
    R (*fn_)(Params...);
};

/// @brief Registers `fn` as the task `name` on this rank (do the same on every rank). A stateless
/// lambda can be registered with a leading `+`: `register_task("square", +[](int x) { return x * x; })`.
template <class R, class... Params>
TaskRef<R(Params...)> register_task(std::string name, R (*fn)(Params...)) {
    static_assert(((!std::is_lvalue_reference_v<Params> || std::is_const_v<std::remove_reference_t<Params>>)&&...),
                  "taskfarm: task parameters must be values or const references (arguments are copies)");
    detail::TaskRegistry::instance().add(name, detail::address_of(fn), detail::make_invoker(fn));
    return TaskRef<R(Params...)>(std::move(name), fn);
}

}  // namespace taskfarm

#define TASKFARM_DETAIL_CONCAT2(a, b) a##b
#define TASKFARM_DETAIL_CONCAT(a, b) TASKFARM_DETAIL_CONCAT2(a, b)

/// Registers the function `fn` as a task named after it, e.g. `TASKFARM_TASK(simulate);` or
/// `TASKFARM_TASK(physics::simulate);`. Use at namespace scope, so every rank registers it before main.
#define TASKFARM_TASK(fn)                                                                  \
    [[maybe_unused]] static auto const TASKFARM_DETAIL_CONCAT(taskfarm_task_registration_, \
                                                              __COUNTER__) = ::taskfarm::register_task(#fn, &fn)
