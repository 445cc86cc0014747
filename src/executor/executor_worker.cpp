// A worker's serve loop: take batches of tasks from the root, run each batch on the rank's
// threads, send back one message of outcomes per batch. Batches queue up (prefetch) while a batch
// runs, since the main thread polls between tasks; waits with nothing to do sleep (Backoff).
#include <deque>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <taskfarm/errors.hpp>
#include <taskfarm/task.hpp>

#include "engine/backoff.hpp"
#include "engine/crash_report.hpp"
#include "engine/thread_team.hpp"
#include "executor/executor_core.hpp"
#include "executor/executor_wire.hpp"

namespace taskfarm::detail {

namespace {

struct Outcome {
    bool ok = true;
    Bytes bytes;  // the encoded result, or the error message
};

void set_error(Outcome& outcome, std::string_view what) {
    outcome.ok = false;
    outcome.bytes.assign(reinterpret_cast<std::byte const*>(what.data()),
                         reinterpret_cast<std::byte const*>(what.data() + what.size()));
}

// Runs every task of a batch on the team; one task's exception is its own outcome only.
std::vector<Outcome> run_batch(ParsedMessage const& batch, ThreadTeam& team) {
    std::vector<Outcome> outcomes(batch.records.size());
    auto body = [&](std::uint64_t begin, std::uint64_t end) {
        RunningTaskClaim const running;  // a crash names the task (its submission id); nested calls are refused
        for (std::uint64_t k = begin; k < end; ++k) {
            auto const& task = batch.records[k];
            note_running(task.id);
            try {
                TaskRegistry::instance().invoker(task.name)(task.payload, outcomes[k].bytes);
            } catch (std::exception const& e) {
                set_error(outcomes[k], e.what());
            } catch (...) {
                set_error(outcomes[k], "unknown exception (not derived from std::exception)");
            }
        }
    };
    team.parallel(outcomes.size(), RangeBody(body));
    return outcomes;
}

}  // namespace

void ExecutorCore::serve() {
    int const root = options_.root;
    std::deque<Bytes> ready;
    bool stop_received = false;
    auto poll = [&] {
        while (!stop_received) {
            auto received = transport_.try_receive(root, kTaskBatchTag);
            if (!received) break;
            stop_received = parse_executor_message(received->bytes).kind == ExecutorMessage::stop;
            ready.push_back(std::move(received->bytes));
        }
        transport_.progress_sends();
    };
    install_crash_report();
    set_crash_context(comm_.rank(), "executor", "", 0, 0);
    ThreadTeam team(rank_threads_[static_cast<std::size_t>(comm_.rank())], poll);
    Backoff backoff;
    for (;;) {
        poll();
        if (ready.empty()) {
            backoff.pause();
            continue;
        }
        backoff.reset();
        Bytes bytes = std::move(ready.front());
        ready.pop_front();
        ParsedMessage const batch = parse_executor_message(bytes);
        if (batch.kind == ExecutorMessage::stop) break;
        if (batch.kind != ExecutorMessage::tasks)
            throw Error("taskfarm: the executor's root sent a message that is not a batch of tasks");
        std::vector<Outcome> const outcomes = run_batch(batch, team);
        Bytes reply = transport_.take_buffer();
        RecordWriter writer(reply, ExecutorMessage::outcomes);
        for (std::size_t k = 0; k < outcomes.size(); ++k)
            writer.add(batch.records[k].id, outcomes[k].ok, {}, outcomes[k].bytes);
        transport_.send(root, kOutcomeTag, std::move(reply));
        transport_.give_buffer(std::move(bytes));
    }
    transport_.wait_sends();
}

}  // namespace taskfarm::detail
