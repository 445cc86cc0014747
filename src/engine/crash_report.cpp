#include "engine/crash_report.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

namespace taskfarm::detail {

#ifndef TASKFARM_UNDER_SMPI

namespace {

// Enough for every thread of a rank (and of two farms side by side); a thread that finds none
// free runs unnamed rather than failing.
constexpr std::size_t kSlots = 1024;
std::array<RunningTask, kSlots> slots;
std::array<std::atomic<bool>, kSlots> slot_taken{};

constexpr int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL};
struct sigaction previous[std::size(crash_signals)];

// Written by the engine at the start of each call, read by a handler: plain buffers, no
// allocation in the handler.
char context_rank[24] = "?";
char context_call[24] = "farm";
char context_file[4096] = "";
char context_run[24] = "0";
char context_section[24] = "0";

// A line built in a fixed buffer without the allocator (not async-signal-safe).
class Line {
public:
    void add(char const* text) {
        while (*text != '\0' && size_ + 1 < sizeof(buffer_)) buffer_[size_++] = *text++;
    }
    void add(std::uint64_t value) {
        char digits[24];
        int n = 0;
        do {
            digits[n++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0);
        while (n > 0 && size_ + 1 < sizeof(buffer_)) buffer_[size_++] = digits[--n];
    }
    void write_to(int fd) const {
        std::size_t done = 0;
        while (done < size_) {
            ssize_t const n = ::write(fd, buffer_ + done, size_ - done);
            if (n <= 0) return;
            done += static_cast<std::size_t>(n);
        }
    }
    [[nodiscard]] bool empty() const { return size_ == 0; }

private:
    char buffer_[4096];
    std::size_t size_ = 0;
};

void format_number(char* out, std::size_t size, std::uint64_t value) {
    std::string const text = std::to_string(value);
    std::strncpy(out, text.c_str(), size - 1);
    out[size - 1] = '\0';
}

char const* name_of(int signal) {
    switch (signal) {
        case SIGSEGV:
            return "SIGSEGV";
        case SIGBUS:
            return "SIGBUS";
        case SIGFPE:
            return "SIGFPE";
        case SIGABRT:
            return "SIGABRT";
        case SIGILL:
            return "SIGILL";
        default:
            return "exit";
    }
}

// Writes the report of tasks running now, if any; `how` names the death ("SIGSEGV", "exit").
void report_running(char const* how) {
    std::uint64_t own = RunningTask::none;
    if (RunningTask const* mine = running_task) own = mine->index.load(std::memory_order_relaxed);
    std::uint64_t running[kSlots];
    std::size_t count = 0;
    for (std::size_t i = 0; i < kSlots; ++i) {
        if (!slot_taken[i].load(std::memory_order_relaxed)) continue;
        std::uint64_t const index = slots[i].index.load(std::memory_order_relaxed);
        if (index != RunningTask::none) running[count++] = index;
    }
    if (count == 0) return;

    Line message;
    message.add("taskfarm: rank ");
    message.add(context_rank);
    message.add(std::strcmp(how, "exit") == 0 ? " called exit() in a " : " died of ");
    if (std::strcmp(how, "exit") != 0) {
        message.add(how);
        message.add(" in a ");
    }
    message.add(context_call);
    message.add(" call");
    if (own != RunningTask::none) {
        message.add(" while running task ");
        message.add(own);
    }
    message.add(" (tasks running on this rank:");
    for (std::size_t i = 0; i < count; ++i) {
        message.add(" ");
        message.add(running[i]);
    }
    message.add(")\n");
    message.write_to(STDERR_FILENO);

    if (context_file[0] == '\0') return;
    int const fd = ::open(context_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    Line record;
    record.add("crash ");
    record.add(context_run);
    record.add(" ");
    record.add(context_section);
    record.add(" ");
    record.add(context_rank);
    record.add(" ");
    record.add(how);
    // The crashing thread's own task first: the one most likely to blame.
    if (own != RunningTask::none) {
        record.add(" ");
        record.add(own);
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (running[i] == own) continue;
        record.add(" ");
        record.add(running[i]);
    }
    record.add("\n");
    record.write_to(fd);
    ::fsync(fd);
    ::close(fd);
}

extern "C" void on_crash(int signal) {
    report_running(name_of(signal));
    // Then whoever handled it before (Open MPI prints a backtrace), or the default: a core dump.
    for (std::size_t i = 0; i < std::size(crash_signals); ++i)
        if (crash_signals[i] == signal) sigaction(signal, &previous[i], nullptr);
    std::raise(signal);
}

extern "C" void on_exit_call() { report_running("exit"); }

}  // namespace

void install_crash_report() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action {};
        action.sa_handler = on_crash;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_NODEFER;
        for (std::size_t i = 0; i < std::size(crash_signals); ++i) sigaction(crash_signals[i], &action, &previous[i]);
        std::atexit(on_exit_call);
    });
}

void set_crash_context(int rank, char const* call_kind, std::string const& crash_file, std::uint64_t run_id,
                       std::uint32_t section) {
    format_number(context_rank, sizeof context_rank, static_cast<std::uint64_t>(rank));
    std::strncpy(context_call, call_kind, sizeof context_call - 1);
    std::strncpy(context_file, crash_file.c_str(), sizeof context_file - 1);
    context_file[crash_file.size() < sizeof context_file ? crash_file.size() : sizeof context_file - 1] = '\0';
    format_number(context_run, sizeof context_run, run_id);
    format_number(context_section, sizeof context_section, section);
}

RunningTaskClaim::RunningTaskClaim() : slot_(nullptr), outer_(running_task) {
    for (std::size_t i = 0; i < kSlots; ++i) {
        bool expected = false;
        if (slot_taken[i].compare_exchange_strong(expected, true)) {
            slot_ = &slots[i];
            break;
        }
    }
    running_task = slot_ != nullptr ? slot_ : &slots[0];  // no free slot: still refuse nested calls
}

RunningTaskClaim::~RunningTaskClaim() {
    running_task = outer_;
    if (slot_ == nullptr) return;
    slot_->index.store(RunningTask::none, std::memory_order_relaxed);
    slot_taken[static_cast<std::size_t>(slot_ - slots.data())].store(false);
}

#else  // TASKFARM_UNDER_SMPI

// Under SimGrid's SMPI (sim/) every simulated rank runs in the one simulator thread and, with
// privatization off, shares the slots, the context and `running_task` (thread_local is per OS
// thread, not per simulated rank): a rank that yields inside MPI mid-block would leave its slot
// in `running_task` for the next rank, and the report could not say which rank died anyway (the
// simulator dies whole). So the report is off there: no handlers, no claims, `running_task`
// stays null (docs/SCALING.md).
void install_crash_report() {}

void set_crash_context(int, char const*, std::string const&, std::uint64_t, std::uint32_t) {}

RunningTaskClaim::RunningTaskClaim() : slot_(nullptr), outer_(nullptr) {}

RunningTaskClaim::~RunningTaskClaim() = default;

#endif  // TASKFARM_UNDER_SMPI

std::string crash_file_of(std::string const& journal) { return journal.empty() ? std::string() : journal + ".crashes"; }

std::set<std::uint64_t> likely_culprits(std::string const& crash_file, std::uint64_t run_id, std::uint32_t section,
                                        std::string& signals) {
    std::set<std::uint64_t> culprits;
    std::ifstream in(crash_file);
    if (!in) return culprits;

    // Runs of this section in the order they first appear, with the tasks running at their crashes.
    struct Run {
        std::set<std::uint64_t> tasks;
        std::string how;
        bool crashed = false;
    };
    std::vector<std::uint64_t> order;
    std::map<std::uint64_t, Run> runs;
    std::string text;
    while (std::getline(in, text)) {
        std::istringstream line(text);
        std::string kind;
        std::uint64_t run = 0;
        std::uint32_t sec = 0;
        if (!(line >> kind >> run >> sec) || sec != section || run == run_id) continue;
        if (runs.find(run) == runs.end()) order.push_back(run);
        Run& r = runs[run];
        if (kind != "crash") continue;
        std::string rank;
        std::string how;
        line >> rank >> how;
        r.crashed = true;
        if (r.how.find(how) == std::string::npos) r.how += (r.how.empty() ? "" : "/") + how;
        for (std::uint64_t task = 0; line >> task;) r.tasks.insert(task);
    }
    in.close();
    std::ofstream(crash_file, std::ios::app) << "start " << run_id << " " << section << "\n";

    if (order.size() < 2) return culprits;
    Run const& last = runs[order[order.size() - 1]];
    Run const& before = runs[order[order.size() - 2]];
    if (!last.crashed || !before.crashed) return culprits;
    for (std::uint64_t task : last.tasks)
        if (before.tasks.count(task) != 0) culprits.insert(task);
    signals = last.how;
    return culprits;
}

}  // namespace taskfarm::detail
