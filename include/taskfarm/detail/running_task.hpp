/// @file
/// @brief Which task each engine thread is running: read by the crash report (from a signal
/// handler, so only lock-free atomics) and by the check that refuses a farm call from inside a task.
#pragma once

#include <atomic>
#include <cstdint>

namespace taskfarm::detail {

// A cache line each: every thread stores its task's index before each task, and slots of two
// threads on one line (1024 slots of 8 bytes) bounce it between their cores at every task.
struct alignas(64) RunningTask {
    static constexpr std::uint64_t none = ~std::uint64_t{0};
    std::atomic<std::uint64_t> index{none};
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

/// Set by the engine while this thread runs a block of a farm call; null everywhere else.
/// Always null in the SMPI simulation (sim/): its ranks share one OS thread (crash_report.cpp).
inline thread_local RunningTask* running_task = nullptr;

/// Called before each task: one relaxed store, so a crash report can name the task.
inline void note_running(std::uint64_t index) noexcept {
    if (RunningTask* slot = running_task) slot->index.store(index, std::memory_order_relaxed);
}

/// Whether the calling thread is inside a task of some farm call.
[[nodiscard]] inline bool inside_task() noexcept { return running_task != nullptr; }

}  // namespace taskfarm::detail
