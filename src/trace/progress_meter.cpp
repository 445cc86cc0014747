#include "trace/progress_meter.hpp"

namespace taskfarm::detail {

ProgressMeter::ProgressMeter(ProgressCallback callback, std::uint64_t total, double min_interval)
    : callback_(std::move(callback)),
      total_(total),
      min_interval_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(min_interval))) {}

Progress ProgressMeter::snapshot() const {
    Progress p;
    p.done = done_;
    p.failed = failed_;
    p.total = total_;
    p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (done_ > 0 && p.elapsed_seconds > 0) {
        p.tasks_per_second = static_cast<double>(done_) / p.elapsed_seconds;
        p.eta_seconds = static_cast<double>(total_ > done_ ? total_ - done_ : 0) / p.tasks_per_second;
    }
    if (done_ >= total_) p.eta_seconds = 0;
    p.finished = finished_;
    return p;
}

void ProgressMeter::add(std::uint64_t done, std::uint64_t failed) {
    if (!callback_ || finished_) return;
    done_ += done;
    failed_ += failed;
    if (Clock::now() - last_report_ >= min_interval_) report();
}

void ProgressMeter::finish() {
    if (!callback_ || finished_) return;
    finished_ = true;
    report();
}

void ProgressMeter::report() {
    last_report_ = Clock::now();
    callback_(snapshot());
}

}  // namespace taskfarm::detail
