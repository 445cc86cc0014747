#include "journal/replay.hpp"

#include <algorithm>
#include <map>

namespace taskfarm::journal {

std::vector<TaskFailure> Replay::standing_failures() const {
    // A failure stands if the latest block covering its task (journal order) lists it. Walk the
    // blocks from the newest and settle each failed task at the first block that covers it.
    std::map<std::uint64_t, TaskFailure const*> unsettled;
    for (auto const& block : blocks)
        for (auto const& failure : block.failures) unsettled.emplace(failure.index, nullptr);
    std::vector<TaskFailure> out;
    for (auto block = blocks.rbegin(); block != blocks.rend() && !unsettled.empty(); ++block) {
        auto it = unsettled.lower_bound(block->first);
        while (it != unsettled.end() && it->first < block->first + block->count) {
            auto const failed = std::find_if(block->failures.begin(), block->failures.end(),
                                             [&](TaskFailure const& f) { return f.index == it->first; });
            if (failed != block->failures.end()) out.push_back(*failed);
            it = unsettled.erase(it);
        }
    }
    std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.index < b.index; });
    return out;
}

std::vector<TaskRange> Replay::pending() const {
    std::vector<TaskRange> covered;
    covered.reserve(blocks.size());
    for (auto const& block : blocks) covered.push_back({block.first, block.count});
    std::sort(covered.begin(), covered.end(), [](auto const& a, auto const& b) { return a.first < b.first; });

    // The gaps between covered ranges, plus one range per standing failure; then sorted and merged.
    std::vector<TaskRange> parts;
    std::uint64_t next = 0;  // first task past every covered range seen so far
    for (auto const& range : covered) {
        if (range.first > next) parts.push_back({next, range.first - next});
        next = std::max(next, range.first + range.count);
    }
    if (fingerprint.task_count > next) parts.push_back({next, fingerprint.task_count - next});
    for (auto const& failure : standing_failures()) parts.push_back({failure.index, 1});
    std::sort(parts.begin(), parts.end(), [](auto const& a, auto const& b) { return a.first < b.first; });

    std::vector<TaskRange> merged;
    for (auto const& part : parts) {
        if (!merged.empty() && merged.back().first + merged.back().count >= part.first) {
            std::uint64_t const end = std::max(merged.back().first + merged.back().count, part.first + part.count);
            merged.back().count = end - merged.back().first;
        } else {
            merged.push_back(part);
        }
    }
    return merged;
}

std::uint64_t Replay::completed_tasks() const {
    std::uint64_t pending_tasks = 0;
    for (auto const& range : pending()) pending_tasks += range.count;
    return fingerprint.task_count - pending_tasks;
}

}  // namespace taskfarm::journal
