// Waiting without stealing a core: a few quick polls, then sleeps that double up to a cap. Open
// MPI's blocking calls busy-poll; on a 2-core node a rank that spins takes a core from the workers.
#pragma once

#include <chrono>

namespace taskfarm::detail {

class Backoff {
public:
    explicit Backoff(std::chrono::microseconds cap = std::chrono::microseconds(250)) : cap_(cap) {}
    /// Something happened: the next wait starts short again.
    void reset() noexcept { rounds_ = 0; }
    /// Nothing happened: wait a little longer than last time.
    void pause();

private:
    std::chrono::microseconds cap_;
    int rounds_ = 0;
};

}  // namespace taskfarm::detail
