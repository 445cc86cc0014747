/// @file
/// @brief Where the time of one farm call went, per rank: tasks, busy and idle time, waits,
/// chunks, bytes moved; and how evenly the work was spread.
///
/// @code{.cpp}
/// std::cout << stats;   // a table: one line per rank, then the totals
/// if (stats.load_imbalance > 0.2) std::cerr << "the slowest rank had 20% more work than the mean\n";
/// @endcode
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace taskfarm {

/// One rank's share of a call. Times are seconds; busy and idle are thread-seconds (summed over
/// the rank's threads), so a rank with 4 threads busy for the whole of a 2 s call is busy 8 s.
struct RankStatistics {
    int rank = 0;
    int threads = 1;
    bool computes = true;          ///< false: a root that only hands work out
    std::uint64_t tasks = 0;       ///< tasks run on this rank
    std::uint64_t chunks = 0;      ///< chunks (blocks of tasks) run on this rank
    double busy_seconds = 0;       ///< inside task functions
    double idle_seconds = 0;       ///< threads x wall time - busy (0 for a rank that does not compute)
    double wait_seconds = 0;       ///< the main thread asleep with nothing to run (part of idle)
    std::uint64_t bytes_sent = 0;  ///< farm messages, headers included
    std::uint64_t bytes_received = 0;
    std::uint64_t messages_sent = 0;
    std::uint64_t messages_received = 0;

    /// busy / (threads x wall): 1 when every thread of the rank ran tasks the whole call.
    [[nodiscard]] double utilization(double wall_seconds) const;
};

/// A call's statistics, on the root.
struct Statistics {
    double wall_seconds = 0;            ///< the call on the root, from entry to return
    std::uint64_t tasks = 0;            ///< tasks run (journaled tasks that were skipped are not)
    std::vector<RankStatistics> ranks;  ///< ordered by rank

    /// max / mean - 1 of busy seconds per thread, over the ranks that compute. 0: every thread
    /// worked equally long; 0.25: the busiest rank's threads worked 25% longer than the mean, so
    /// with perfect balance the call could have ended up to 20% sooner (1 - 1/1.25).
    double load_imbalance = 0;
    /// Busy thread-seconds / (computing threads x wall): the share of the computing capacity that
    /// ran tasks. The rest went to waiting (start, tail, messages) and engine overhead.
    double utilization = 0;
    /// Events the trace lost to its size cap (the numbers above are complete regardless).
    std::uint64_t dropped_events = 0;

    /// A readable table: one line per rank, then the totals.
    [[nodiscard]] std::string to_string() const;
};

std::ostream& operator<<(std::ostream& out, Statistics const& statistics);

}  // namespace taskfarm
