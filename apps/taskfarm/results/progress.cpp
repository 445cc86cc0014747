#include "results/progress.hpp"

#include <cmath>
#include <cstdio>

namespace taskfarm::cli {

std::string format_duration(double seconds) {
    auto const total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    char text[48];
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
    return text;
}

std::string format_progress(ProgressCounts const& c) {
    double const rate = c.elapsed > 0 ? static_cast<double>(c.done) / c.elapsed : 0.0;
    std::string eta = "?";
    if (c.done >= c.total)
        eta = format_duration(0);
    else if (c.done > 0 && rate > 0)
        eta = format_duration(static_cast<double>(c.total - c.done) / rate);
    char text[160];
    std::snprintf(text, sizeof text, "%zu/%zu done, %zu failed, %.2g tasks/s, ETA %s", c.done, c.total, c.failed, rate,
                  eta.c_str());
    return text;
}

ProgressReporter::ProgressReporter(Console& console, std::size_t total, double interval)
    : console_(console), interval_(interval) {
    counts_.total = total;
    if (console_.live() || interval_ > 0) thread_ = std::thread([this] { loop(); });
}

ProgressReporter::~ProgressReporter() { finish(); }

ProgressCounts ProgressReporter::snapshot_locked() const {
    ProgressCounts c = counts_;
    c.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return c;
}

void ProgressReporter::task_done(bool failed) {
    ProgressCounts snapshot;
    {
        std::lock_guard lock(mutex_);
        ++counts_.done;
        if (failed) ++counts_.failed;
        snapshot = snapshot_locked();
    }
    if (console_.live()) console_.set_live_line("taskfarm: " + format_progress(snapshot));
}

void ProgressReporter::finish() {
    {
        std::lock_guard lock(mutex_);
        if (finished_) return;
        finished_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    console_.clear_live_line();
}

void ProgressReporter::loop() {
    // On a terminal the line is redrawn every second (rate and ETA move even without a
    // completion); elsewhere one line per interval.
    auto const period = std::chrono::duration<double>(console_.live() ? 1.0 : interval_);
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, period, [this] { return finished_; })) {
        ProgressCounts const snapshot = snapshot_locked();
        lock.unlock();
        std::string const line = "taskfarm: " + format_progress(snapshot);
        if (console_.live())
            console_.set_live_line(line);
        else
            console_.message(line);
        lock.lock();
    }
}

}  // namespace taskfarm::cli
