#include "results/progress.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace taskfarm::cli {

std::string format_duration(double seconds) {
    auto const total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    char text[48];
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
    return text;
}

ProgressReporter::ProgressReporter(Console& console, std::size_t total, double interval)
    : console_(console),
      interval_(interval),
      // Redraws the live line as tasks finish, at most 10 times a second (the meter's limit);
      // off a terminal the status lines come from loop() only.
      meter_(
          [this](Progress const& p) {
              if (console_.live() && !p.finished) console_.set_live_line(line(p));
          },
          total, 0.1) {
    if (console_.live() || interval_ > 0) thread_ = std::thread([this] { loop(); });
}

ProgressReporter::~ProgressReporter() { finish(); }

std::string ProgressReporter::line(Progress const& p) const {
    // A bar where the line is redrawn in place; plain counts in a log.
    return "taskfarm: " + format_progress(p, console_.live() ? 20 : 0);
}

void ProgressReporter::task_done(bool failed) {
    std::lock_guard lock(mutex_);
    meter_.add(1, failed ? 1 : 0);
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
        Progress const snapshot = meter_.snapshot();
        lock.unlock();
        if (console_.live()) console_.set_live_line(line(snapshot));
        else console_.message(line(snapshot));
        lock.lock();
    }
}

}  // namespace taskfarm::cli
