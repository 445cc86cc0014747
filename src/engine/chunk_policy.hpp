// How many tasks the next chunk gets. Fixed, or adaptive: aim at a target duration per chunk from
// the measured cost per task (like joblib's batch_size='auto'), grow at most twofold per chunk while
// the estimate settles, and shrink as the remaining work runs out (factoring: a chunk takes at most
// half of its rank's fair share of what is left), so every rank finishes at about the same time.
#pragma once

#include <cstdint>

namespace taskfarm::detail {

class ChunkPolicy {
public:
    /// fixed_size > 0: always that many. Else adaptive with `target_seconds` per chunk.
    ChunkPolicy(std::uint64_t fixed_size, double target_seconds, int total_slots);

    /// The size of the next chunk for a rank with `slots` threads, `remaining` tasks not yet handed out.
    [[nodiscard]] std::uint64_t next_size(int slots, std::uint64_t remaining);

    /// A chunk of `count` tasks took `seconds` of wall time on a rank with `slots` threads.
    void observe(std::uint64_t count, double seconds, int slots);

    /// Estimated thread-seconds per task (0 before anything was observed).
    [[nodiscard]] double seconds_per_task() const noexcept;

    /// No chunk is larger: bounds the memory a chunk's inputs and results can take.
    static constexpr std::uint64_t max_chunk = std::uint64_t{1} << 20;

private:
    std::uint64_t fixed_;
    double target_;
    int total_slots_;
    double observed_thread_seconds_ = 0;
    std::uint64_t observed_tasks_ = 0;
    std::uint64_t largest_ = 0;
};

}  // namespace taskfarm::detail
