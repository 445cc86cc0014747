// Tasks shared by the executor tests, and their serial references.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace executor_tests {

inline std::int64_t square(std::int64_t x) { return x * x; }

inline double weighted_sum(int count, double weight) { return weight * count * (count + 1) / 2.0; }

inline std::string describe(std::string const& name, std::vector<double> const& values) {
    double total = 0;
    for (double v : values) total += v;
    return name + ":" + std::to_string(values.size()) + ":" + std::to_string(total);
}

inline int fails_on_seven(int x) {
    if (x == 7) throw std::runtime_error("seven is not allowed");
    return x + 1;
}

// A tree with a deterministic, uneven shape: how many children node `id` at `depth` has.
inline int children_of(std::uint64_t id, int depth) {
    if (depth >= 5) return 0;
    return static_cast<int>((id * 2654435761u >> 7) % 4);
}

}  // namespace executor_tests
