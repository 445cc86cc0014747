#include "engine/thread_team.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>

namespace taskfarm::detail {

ThreadTeam::ThreadTeam(int threads, std::function<void()> poll, std::chrono::microseconds poll_interval)
    : threads_(std::max(threads, 1)), poll_(std::move(poll)), interval_(poll_interval) {}

void ThreadTeam::maybe_poll() {
    if (!poll_) return;
    auto const now = std::chrono::steady_clock::now();
    if (now - last_poll_ < interval_) return;
    last_poll_ = now;
    poll_();
}

void ThreadTeam::parallel(std::uint64_t count, RangeBody body) {
    if (count == 0) return;
    auto const threads = static_cast<std::uint64_t>(threads_);
    // Sub-ranges small enough to balance uneven tasks, large enough that taking one is noise.
    // A lone thread that polls takes smaller steps, so that it polls often enough.
    std::uint64_t const pieces = threads == 1 ? (poll_ ? 64 : 1) : threads * 8;
    std::uint64_t const grain = std::max<std::uint64_t>(1, count / pieces);

    if (threads_ == 1 || count == 1) {
        for (std::uint64_t begin = 0; begin < count; begin += grain) {
            body(begin, std::min(begin + grain, count));
            maybe_poll();
        }
        return;
    }

    std::atomic<std::uint64_t> next{0};
    std::exception_ptr poll_error;
    int const team_size = static_cast<int>(std::min<std::uint64_t>(threads, (count + grain - 1) / grain));
#pragma omp parallel num_threads(team_size) default(none) shared(next, count, grain, body, poll_error)
    {
        bool const main_thread = omp_get_thread_num() == 0;
        for (;;) {
            std::uint64_t const begin = next.fetch_add(grain, std::memory_order_relaxed);
            if (begin >= count) break;
            body(begin, std::min(begin + grain, count));
            if (main_thread && !poll_error) {
                // An exception must not leave the parallel region: keep it for after.
                try {
                    maybe_poll();
                } catch (...) {
                    poll_error = std::current_exception();
                }
            }
        }
    }
    if (poll_error) std::rethrow_exception(poll_error);
}

}  // namespace taskfarm::detail
