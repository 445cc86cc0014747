/// @file
/// @brief The lognormal task durations every peer runs: read from the file tools/make_durations.py
/// wrote once (one duration in microseconds per line), so all peers run identical tasks.
#pragma once

#include <cmath>
#include <cstddef>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

/// The first `limit` durations of the file (all of them if `limit` is 0), in microseconds.
inline std::vector<double> read_durations_us(std::string const& path, std::size_t limit = 0) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read durations file " + path);
    std::vector<double> out;
    double us = 0;
    while (in >> us && (limit == 0 || out.size() < limit)) out.push_back(us);
    if (out.empty()) throw std::runtime_error("no durations in " + path);
    return out;
}

/// Lognormal durations made in-process, for the CTest smoke run that has no durations file (their
/// exact values do not matter there, only that the results come back right).
inline std::vector<double> synthetic_durations_us(std::size_t n, double mean_us, double sigma) {
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> dist(std::log(mean_us) - sigma * sigma / 2, sigma);
    std::vector<double> out(n);
    for (auto& us : out) us = dist(rng);
    return out;
}

}  // namespace bench
