// The public Executor over its core, and the waits that futures call into.
#include <cstdio>
#include <exception>
#include <set>

#include <taskfarm/detail/running_task.hpp>
#include <taskfarm/errors.hpp>
#include <taskfarm/executor.hpp>

#include "engine/backoff.hpp"
#include "executor/executor_core.hpp"

namespace taskfarm {

Executor::Executor() : Executor(boost::mpi::communicator()) {}

Executor::Executor(boost::mpi::communicator const& comm, ExecutorOptions options)
    : core_(std::make_unique<detail::ExecutorCore>(comm, options)) {
    if (!core_->is_root()) core_->serve();
}

Executor::~Executor() {
    if (!core_ || !core_->is_root()) return;
    bool const unwinding = std::uncaught_exceptions() > uncaught_at_construction_;
    try {
        if (unwinding) {
            core_->abandon();
        } else {
            core_->shutdown(true, false);
        }
    } catch (std::exception const& e) {
        // A destructor cannot throw; the workers must still be released, so cancel what is left.
        std::fprintf(stderr, "taskfarm: error while shutting down the executor: %s\n", e.what());
        try {
            core_->abandon();
        } catch (std::exception const& again) {
            std::fprintf(stderr, "taskfarm: the executor could not release its workers: %s\n", again.what());
        }
    }
}

bool Executor::is_root() const noexcept { return core_->is_root(); }
int Executor::rank() const noexcept { return core_->comm().rank(); }
int Executor::size() const noexcept { return core_->comm().size(); }
int Executor::threads() const noexcept { return core_->threads(); }
Statistics const& Executor::statistics() const noexcept { return core_->statistics(); }
boost::mpi::communicator const& Executor::communicator() const noexcept { return core_->comm(); }

void Executor::wait_idle() { core_->wait_idle(); }
void Executor::shutdown(bool wait, bool cancel_futures) { core_->shutdown(wait, cancel_futures); }
std::uint64_t Executor::next_id() { return core_->next_id(); }

void Executor::enqueue(std::string const& name, detail::Bytes args, std::shared_ptr<detail::FutureStateBase> state) {
    if (detail::inside_task())
        throw UsageError(
            "taskfarm: Executor::submit was called from inside a running task: submit from the root's "
            "main thread (a done-callback may submit more)");
    core_->submit(name, std::move(args), std::move(state));
}

namespace detail {

namespace {
ExecutorCore& owner_of(FutureStateBase const& state) {
    if (state.owner() == nullptr) throw Error("taskfarm: this future's executor is gone and the task never completed");
    return *state.owner();
}
}  // namespace

bool progress_until(std::span<FutureStateBase* const> states, std::function<bool()> const& finished,
                    Deadline deadline) {
    Backoff backoff;
    for (;;) {
        if (finished()) return true;
        if (deadline && std::chrono::steady_clock::now() >= *deadline) return false;
        std::set<ExecutorCore*> owners;
        for (auto* s : states)
            if (!s->done()) owners.insert(&owner_of(*s));
        if (owners.empty()) return finished();
        bool progressed = false;
        for (auto* core : owners) progressed = core->progress() || progressed;
        if (progressed) {
            backoff.reset();
        } else {
            backoff.pause();
        }
    }
}

bool wait_until_done(FutureStateBase& state, Deadline deadline) {
    FutureStateBase* const one[1] = {&state};
    return progress_until(
        one, [&] { return state.done(); }, deadline);
}

void poll_owner(FutureStateBase& state) {
    if (!state.done()) owner_of(state).progress();
}

bool cancel(FutureStateBase& state) {
    if (state.done()) return state.cancelled();
    return owner_of(state).cancel(state);
}

}  // namespace detail

}  // namespace taskfarm
