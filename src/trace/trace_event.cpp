#include "trace/trace_event.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace taskfarm::detail {

std::uint64_t RankTrace::tasks() const {
    std::uint64_t total = 0;
    for (auto const& t : thread_counters) total += t.tasks;
    return total;
}

double RankTrace::busy_seconds() const {
    double total = 0;
    for (auto const& t : thread_counters) total += t.busy_seconds;
    return total;
}

int CallTrace::total_threads() const {
    int total = 0;
    for (auto const& r : ranks) total += r.threads;
    return total;
}

void sort_by_start(std::vector<TraceEvent>& events) {
    // Stable: events with equal starts keep the order they were recorded in.
    std::stable_sort(events.begin(), events.end(),
                     [](TraceEvent const& a, TraceEvent const& b) { return a.start < b.start; });
}

CallTrace merge_call(CallTrace header, std::vector<RankTrace> ranks) {
    std::sort(ranks.begin(), ranks.end(), [](RankTrace const& a, RankTrace const& b) { return a.rank < b.rank; });
    for (std::size_t i = 1; i < ranks.size(); ++i)
        if (ranks[i].rank == ranks[i - 1].rank)
            throw std::invalid_argument("taskfarm trace: rank " + std::to_string(ranks[i].rank) + " appears twice");
    for (auto& rank : ranks) {
        for (auto& e : rank.events) {
            e.start += rank.clock_offset;
            e.end += rank.clock_offset;
        }
        rank.clock_offset = 0;
        sort_by_start(rank.events);
    }
    header.ranks = std::move(ranks);
    return header;
}

}  // namespace taskfarm::detail
