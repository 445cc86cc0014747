#include "results/result_sink.hpp"

#include <signal.h>

#include <chrono>
#include <cstdio>

namespace taskfarm::cli {

std::string signal_name(int signal) {
    switch (signal) {
        case SIGHUP:
            return "SIGHUP";
        case SIGINT:
            return "SIGINT";
        case SIGQUIT:
            return "SIGQUIT";
        case SIGILL:
            return "SIGILL";
        case SIGABRT:
            return "SIGABRT";
        case SIGBUS:
            return "SIGBUS";
        case SIGFPE:
            return "SIGFPE";
        case SIGKILL:
            return "SIGKILL";
        case SIGUSR1:
            return "SIGUSR1";
        case SIGSEGV:
            return "SIGSEGV";
        case SIGUSR2:
            return "SIGUSR2";
        case SIGPIPE:
            return "SIGPIPE";
        case SIGALRM:
            return "SIGALRM";
        case SIGTERM:
            return "SIGTERM";
        case SIGXCPU:
            return "SIGXCPU";
        default:
            return "signal " + std::to_string(signal);
    }
}

JoblogEntry joblog_entry(TaskSpec const& spec, TaskOutcome const& outcome) {
    JoblogEntry e;
    e.seq = spec.number;
    e.host = outcome.host.empty() ? ":" : outcome.host;
    e.start_time = outcome.start_time;
    e.runtime = outcome.runtime;
    e.exit_value = outcome.exit_code;
    e.signal = outcome.signal;
    e.command = spec.command.empty() ? "# " + spec.error : spec.command;
    return e;
}

std::string describe_failure(TaskSpec const& spec, TaskOutcome const& o) {
    if (o.succeeded()) return {};
    std::string const where = spec.where();
    std::string const host = " on " + o.host + " (rank " + std::to_string(o.rank) + ")";
    std::string const tries = o.attempts > 1 ? " after " + std::to_string(o.attempts) + " attempts" : "";
    char seconds[32];
    switch (o.state) {
        case TaskState::not_run:
        case TaskState::interrupted:
            return {};
        case TaskState::invalid:
            return where + ": " + spec.error;
        case TaskState::spawn_failed:
            return where + " could not start" + host + ": " + o.error;
        case TaskState::timed_out:
            std::snprintf(seconds, sizeof seconds, "%.1f", o.runtime);
            return where + " timed out" + host + " after " + seconds + " s (process group killed with " +
                   signal_name(o.signal) + ")" + tries;
        case TaskState::finished:
            break;
    }
    std::string reason = "exit " + std::to_string(o.exit_code);
    if (o.exit_code == 127) reason += " (command not found)";
    if (o.exit_code == 126) reason += " (command not executable)";
    if (o.signal != 0) reason += " (killed by " + signal_name(o.signal) + ")";
    return where + " failed" + host + ": " + reason + tries;
}

ResultSink::ResultSink(Console& console, OutputWriter& output, JoblogWriter* joblog, ProgressReporter* progress,
                       StopState& stop, HaltTracker* halt)
    : console_(console), output_(output), joblog_(joblog), progress_(progress), stop_(stop), halt_(halt) {}

void ResultSink::accept(TaskSpec const& spec, TaskOutcome outcome) {
    if (!spec.error.empty()) {
        outcome = TaskOutcome{};
        outcome.number = spec.number;
        outcome.state = TaskState::invalid;
        outcome.exit_code = 255;
        outcome.error = spec.error;
        outcome.start_time = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    }
    summary_.add(outcome);
    if (!outcome.loggable()) {  // did not run, or cut short by a stop: --resume runs it
        output_.skip(spec.number);
        return;
    }

    output_.write(spec.number, outcome.out, outcome.err);
    if (joblog_) joblog_->write(joblog_entry(spec, outcome));
    bool const failed = !outcome.succeeded();
    if (progress_) progress_->task_done(failed);
    if (failed) console_.message("taskfarm: " + describe_failure(spec, outcome));
    // The root's own task threads may have noted this result already (so that they start
    // nothing after it); the message is printed here, once, whoever saw it first.
    if (halt_) halt_->note(outcome);
    if (halt_ && halt_->halted() && !halt_message_printed_) {
        halt_message_printed_ = true;
        bool const now = halt_->policy().when == HaltPolicy::When::now;
        stop_.halt(now);
        console_.message("taskfarm: --halt " + halt_->policy().text() + " holds: starting no new task; " +
                         (now ? "killing the running ones" : "running ones finish"));
    }
}

}  // namespace taskfarm::cli
