// The synthetic tasks' durations: fixed, lognormal (with the given mean), or read from a file
// (one duration in seconds per line, repeated if there are fewer lines than tasks). A duration is
// a pure function of the task index, so every rank knows any task's without messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace taskfarm::sim {

class TaskDurations {
public:
    static TaskDurations fixed(double seconds);
    static TaskDurations lognormal(double mean_seconds, double sigma, std::uint64_t seed);
    static TaskDurations from_file(std::string const& path);

    [[nodiscard]] double at(std::uint64_t index) const;
    /// The sum over tasks [0, count): the work a perfect farm would spread over the ranks.
    [[nodiscard]] double total(std::uint64_t count) const;

private:
    enum class Kind { fixed, lognormal, listed };
    Kind kind_ = Kind::fixed;
    double mean_ = 0;
    double mu_ = 0;
    double sigma_ = 0;
    std::uint64_t seed_ = 0;
    std::vector<double> listed_;
};

/// A well-mixed 64-bit function of `x` (splitmix64's finalizer).
std::uint64_t mix64(std::uint64_t x);

}  // namespace taskfarm::sim
