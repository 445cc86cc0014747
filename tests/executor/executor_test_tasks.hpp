// Tasks shared by the executor tests, and their serial references.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

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

// --- Gates: tasks that wait on files the test controls, so that which task is running, waiting
// or done is decided by the test and not by timing. Every rank of a test runs on one host and
// sees the same directory. Every wait is bounded.
namespace executor_tests {

inline void touch_file(std::filesystem::path const& path) { std::ofstream(path) << "x\n"; }

/// Waits (bounded) until `ready()`; false if it never was.
template <class Ready>
bool wait_until(Ready ready, std::chrono::seconds bound = std::chrono::seconds(60)) {
    auto const deadline = std::chrono::steady_clock::now() + bound;
    while (!ready()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

inline std::size_t count_files(std::filesystem::path const& dir, std::string const& prefix) {
    std::size_t n = 0;
    std::error_code ec;
    for (auto const& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().filename().string().starts_with(prefix)) ++n;
    return n;
}

/// A fresh directory for one test's gates (made by the root; its path travels in the arguments).
/// They are removed when the program ends, when no task can be polling them any more (a task
/// whose future ended early, by a timeout or an interrupt, still runs until its executor is gone).
inline std::string make_gate_dir(std::string const& test) {
    struct Made {
        std::vector<std::filesystem::path> dirs;
        ~Made() {
            std::error_code ec;
            for (auto const& d : dirs) std::filesystem::remove_all(d, ec);
        }
    };
    static Made made;
    auto const dir = std::filesystem::temp_directory_path() /
                     ("taskfarm_gates_" + test + "_" + std::to_string(::getpid()) + "_" +
                      std::to_string(made.dirs.size()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    made.dirs.push_back(dir);
    return dir.string();
}

/// The task: says it started, then waits for the test to open gate `k`; returns k.
inline int gated(std::string const& dir, int k) {
    touch_file(std::filesystem::path(dir) / ("started_" + std::to_string(k)));
    if (!wait_until([&] { return std::filesystem::exists(std::filesystem::path(dir) / ("go_" + std::to_string(k))); }))
        throw std::runtime_error("gate " + std::to_string(k) + " never opened");
    return k;
}

/// The task: leaves a mark that it ran.
inline int marks_ran(std::string const& dir, int k) {
    touch_file(std::filesystem::path(dir) / ("ran_" + std::to_string(k)));
    return k;
}

inline void open_gate(std::string const& dir, int k) {
    touch_file(std::filesystem::path(dir) / ("go_" + std::to_string(k)));
}

inline bool started(std::string const& dir, std::size_t n) {
    return wait_until([&] { return count_files(dir, "started_") >= n; });
}

inline bool ran(std::string const& dir, int k) {
    return std::filesystem::exists(std::filesystem::path(dir) / ("ran_" + std::to_string(k)));
}

}  // namespace executor_tests
