#include "executor/executor_job.hpp"

#include <exception>

#include <taskfarm/detail/running_task.hpp>
#include <taskfarm/errors.hpp>
#include <taskfarm/task.hpp>

#include "executor/executor_wire.hpp"

namespace taskfarm::detail {

std::uint64_t ExecutorJob::type_id() const { return kExecutorJobType; }

void ExecutorJob::encode_inputs(std::uint64_t, std::uint64_t, Bytes&) {
    throw Error("taskfarm: internal: the executor encodes its tasks itself");
}

void ExecutorJob::accept_results(std::uint64_t, std::uint64_t, ByteView, std::span<std::uint64_t const>) {
    throw Error("taskfarm: internal: the executor completes its futures itself");
}

void ExecutorJob::run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out,
                            FailureList& failures, Team&) {
    if (count != 1) throw Error("taskfarm: internal: an executor block holds one task");
    note_running(first);  // a crash report names the task by its id
    try {
        TaskView const task = parse_task(inputs);
        TaskRegistry::instance().invoker(task.name)(task.args, out);
    } catch (std::exception const& e) {
        failures.add(first, e.what());
    } catch (...) {
        failures.add(first, "unknown exception (not derived from std::exception)");
    }
}

}  // namespace taskfarm::detail
