// A run of consecutive task indices: what the journal records as done and what the engine hands
// out. One type for both (the journal is the lower layer, and needs neither MPI nor the engine).
#pragma once

#include <cstdint>
#include <ostream>

namespace taskfarm::journal {

/// Tasks [first, first + count).
struct TaskRange {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    friend bool operator==(TaskRange const&, TaskRange const&) = default;
    /// "[first, end)", for logs and test failures.
    friend std::ostream& operator<<(std::ostream& out, TaskRange const& r) {
        return out << '[' << r.first << ", " << r.first + r.count << ')';
    }
};

}  // namespace taskfarm::journal
