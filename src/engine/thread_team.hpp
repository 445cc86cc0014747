// The OpenMP team of one rank. Threads take sub-ranges of a block dynamically; between
// sub-ranges the main thread (OpenMP thread 0, the one MPI may be called from under FUNNELED)
// runs the engine's poll, so messages keep moving while the rank computes.
#pragma once

#include <chrono>
#include <functional>

#include <taskfarm/detail/job.hpp>

namespace taskfarm::detail {

class ThreadTeam final : public Team {
public:
    /// `poll` runs on the main thread at most every `poll_interval` between sub-ranges.
    ThreadTeam(int threads, std::function<void()> poll,
               std::chrono::microseconds poll_interval = std::chrono::microseconds(100));

    void parallel(std::uint64_t count, RangeBody body) override;
    [[nodiscard]] int threads() const noexcept override { return threads_; }

private:
    void maybe_poll();

    int threads_;
    std::function<void()> poll_;
    std::chrono::steady_clock::duration interval_;
    std::chrono::steady_clock::time_point last_poll_{};
};

}  // namespace taskfarm::detail
