/// @file
/// @brief The hierarchy's automatic choice (Options::group_size = 0), as pure functions so it can
/// be tested without MPI: whether to form groups, and how a rank's group is named.
#pragma once

#include <cstdint>

#include <taskfarm/options.hpp>

namespace taskfarm::detail {

/// Whether a farm of `ranks` ranks with `total_threads` threads in all forms groups.
[[nodiscard]] inline bool wants_groups(int ranks, int group_size, std::int64_t total_threads) {
    if (ranks < 3 || group_size == 1) return false;
    return group_size >= 2 || total_threads >= Options::kAutomaticGroupThreads;
}

/// A rank's group colour (the root alone has colour 0). `index` is the rank among the others
/// (the root left out); `group_size` >= 2 cuts them in order. In automatic mode (`group_size` 0)
/// `node_colour` names the rank's node (its lowest rank, plus 1) and `largest_node` is the most
/// ranks any node holds: groups are nodes, unless every node holds one rank, and then groups are
/// kAutomaticGroupSize consecutive ranks (one node alone would be a sub-master without workers).
[[nodiscard]] inline int group_colour_of(bool is_root, int index, int group_size, int node_colour, int largest_node) {
    if (is_root) return 0;
    if (group_size >= 2) return 1 + index / group_size;
    if (largest_node >= 2) return node_colour;
    return 1 + index / Options::kAutomaticGroupSize;
}

}  // namespace taskfarm::detail
