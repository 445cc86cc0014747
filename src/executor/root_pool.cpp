#include "executor/root_pool.hpp"

#include <cstdio>
#include <exception>

namespace taskfarm::detail {

RootPool::RootPool(Job& job, int threads) : pool_(job, threads, nullptr, 0, /*driver_runs_blocks=*/false) {
    host_ = std::thread([this] {
        try {
            pool_.run([this] {
                std::unique_lock lock(mutex_);
                closed_.wait(lock, [this] { return closing_; });
            });
        } catch (std::exception const& e) {
            // Tasks' exceptions are their outcomes; this is the pool itself failing (no threads).
            std::fprintf(stderr, "taskfarm: the executor root's task threads failed: %s\n", e.what());
        }
    });
}

void RootPool::close() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    closed_.notify_all();
}

RootPool::~RootPool() {
    close();
    if (host_.joinable()) host_.join();
}

}  // namespace taskfarm::detail
