#include "task_durations.hpp"

#include <cmath>
#include <fstream>
#include <numbers>
#include <stdexcept>

namespace taskfarm::sim {

std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

namespace {
// A uniform in (0, 1) from 53 random bits.
double uniform(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) / 9007199254740992.0; }
}  // namespace

TaskDurations TaskDurations::fixed(double seconds) {
    if (!(seconds >= 0)) throw std::invalid_argument("a task duration must be >= 0");
    TaskDurations d;
    d.mean_ = seconds;
    return d;
}

TaskDurations TaskDurations::lognormal(double mean_seconds, double sigma, std::uint64_t seed) {
    if (!(mean_seconds > 0) || !(sigma >= 0)) throw std::invalid_argument("lognormal needs mean > 0 and sigma >= 0");
    TaskDurations d;
    d.kind_ = Kind::lognormal;
    d.mean_ = mean_seconds;
    d.sigma_ = sigma;
    d.mu_ = std::log(mean_seconds) - sigma * sigma / 2;  // so that the mean is mean_seconds
    d.seed_ = seed;
    return d;
}

TaskDurations TaskDurations::from_file(std::string const& path) {
    std::ifstream in(path);
    if (!in) throw std::invalid_argument("cannot read durations file '" + path + "'");
    TaskDurations d;
    d.kind_ = Kind::listed;
    for (double s = 0; in >> s;) {
        if (!(s >= 0)) throw std::invalid_argument("a negative duration in '" + path + "'");
        d.listed_.push_back(s);
    }
    if (d.listed_.empty()) throw std::invalid_argument("no durations in '" + path + "'");
    return d;
}

double TaskDurations::at(std::uint64_t index) const {
    switch (kind_) {
        case Kind::fixed:
            return mean_;
        case Kind::listed:
            return listed_[index % listed_.size()];
        case Kind::lognormal: {
            std::uint64_t const a = mix64(seed_ ^ mix64(2 * index));
            std::uint64_t const b = mix64(seed_ ^ mix64(2 * index + 1));
            double const normal = std::sqrt(-2 * std::log(uniform(a))) * std::cos(2 * std::numbers::pi * uniform(b));
            return std::exp(mu_ + sigma_ * normal);
        }
    }
    return mean_;
}

double TaskDurations::total(std::uint64_t count) const {
    if (kind_ == Kind::fixed) return mean_ * static_cast<double>(count);
    double sum = 0;
    for (std::uint64_t i = 0; i < count; ++i) sum += at(i);
    return sum;
}

}  // namespace taskfarm::sim
