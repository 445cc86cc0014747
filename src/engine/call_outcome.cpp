#include "engine/call_outcome.hpp"

#include <utility>

#include "engine/interrupt.hpp"

namespace taskfarm::detail {

std::string describe(std::exception_ptr const& error) {
    try {
        std::rethrow_exception(error);
    } catch (std::exception const& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

namespace {
bool is_usage_error(std::exception_ptr const& error) {
    try {
        std::rethrow_exception(error);
    } catch (UsageError const&) {
        return true;
    } catch (...) {
        return false;
    }
}
}  // namespace

std::string CallOutcome::message() const {
    return failures.empty() ? std::string("unknown error") : failures.front().message;
}

CallOutcome outcome_of_error(std::exception_ptr error, int root) {
    CallOutcome outcome;
    outcome.status = is_usage_error(error) ? CallStatus::usage_error : CallStatus::root_failed;
    outcome.failures.push_back(TaskFailure{0, root, describe(error)});
    outcome.error = std::move(error);
    return outcome;
}

CallOutcome outcome_of_interrupt(int signal, std::uint64_t done, std::uint64_t tasks, std::string message) {
    CallOutcome outcome;
    outcome.status = CallStatus::interrupted;
    outcome.signal = signal;
    outcome.done = done;
    outcome.tasks = tasks;
    outcome.failures.push_back(TaskFailure{0, -1, std::move(message)});
    return outcome;
}

CallOutcome outcome_of_failures(std::vector<TaskFailure> failures) {
    CallOutcome outcome;
    if (!failures.empty()) outcome.status = CallStatus::task_failed;
    outcome.failures = std::move(failures);
    return outcome;
}

void write_stop(Bytes& buffer, std::uint32_t call, CallOutcome const& outcome) {
    Header header{MessageKind::stop, call};
    header.status = outcome.status;
    if (outcome.status == CallStatus::interrupted) {
        header.first = outcome.done;
        header.count = outcome.tasks;
        header.job_type = static_cast<std::uint64_t>(outcome.signal);
    }
    MessageBuilder(buffer).finish(header, outcome.failures);
}

CallOutcome read_stop(MessageView const& stop) {
    CallOutcome outcome;
    outcome.status = stop.header.status;
    outcome.failures = stop.failures;
    if (outcome.status == CallStatus::interrupted) {
        outcome.done = stop.header.first;
        outcome.tasks = stop.header.count;
        outcome.signal = static_cast<int>(stop.header.job_type);
    }
    return outcome;
}

void throw_outcome(CallOutcome const& outcome) {
    if (outcome.error) std::rethrow_exception(outcome.error);
    switch (outcome.status) {
        case CallStatus::ok:
            return;
        case CallStatus::task_failed:
            throw TaskError(outcome.failures);
        case CallStatus::interrupted:
            SignalLatch::clear();  // acted on: this call is what it stopped
            throw Interrupted(outcome.message(), outcome.signal, outcome.done, outcome.tasks);
        case CallStatus::usage_error:
            throw UsageError(outcome.message());
        case CallStatus::root_failed:
            throw Error("taskfarm: the call failed on the root: " + outcome.message());
        default:
            break;
    }
    throw Error("taskfarm: unknown call status from the root");
}

std::exception_ptr result_error(int worker, Header const& header, std::vector<TaskFailure> const& failures) {
    std::string const detail = failures.empty() ? std::string("unknown error") : failures.front().message;
    if (header.status == CallStatus::wrong_call) return std::make_exception_ptr(UsageError(detail));
    std::string const where = worker < 0 ? std::string("the root") : "rank " + std::to_string(worker);
    return std::make_exception_ptr(Error("taskfarm: " + where + " could not run tasks [" +
                                         std::to_string(header.first) + ", " +
                                         std::to_string(header.first + header.count) + "): " + detail));
}

}  // namespace taskfarm::detail
