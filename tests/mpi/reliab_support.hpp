// Helpers of the reliability tests (issue 4): a scratch directory on the root, per-rank execution
// counters summed over the communicator, and a serial reference.
#pragma once

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/mpi/collectives/all_reduce.hpp>
#include <boost/mpi/collectives/broadcast.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/operations.hpp>

#include <taskfarm/taskfarm.hpp>

namespace reliab {

/// A fresh directory made by rank 0 (where the journal lives), removed at the end.
class ScratchDir {
public:
    ScratchDir() {
        boost::mpi::communicator world;
        if (world.rank() == 0) {
            std::string pattern = (std::filesystem::temp_directory_path() / "taskfarm-reliab-XXXXXX").string();
            if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
            path_ = pattern;
        }
        boost::mpi::broadcast(world, path_, 0);
    }
    ~ScratchDir() {
        boost::mpi::communicator world;
        world.barrier();
        std::error_code ignored;
        if (world.rank() == 0) std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(ScratchDir const&) = delete;
    ScratchDir& operator=(ScratchDir const&) = delete;
    [[nodiscard]] std::string file(std::string const& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/// Counts task executions on this rank; `total()` sums every rank's (collective).
class Executions {
public:
    void add() { count_.fetch_add(1, std::memory_order_relaxed); }
    long total() const { return boost::mpi::all_reduce(boost::mpi::communicator(), count_.load(), std::plus<long>()); }
    void reset() { count_ = 0; }

private:
    std::atomic<long> count_{0};
};

/// A set of task indices, safe to grow from several threads.
class SeenOnThisRank {
public:
    /// True the first time `i` is seen on this rank.
    bool first_time(std::size_t i) {
        std::lock_guard lock(mutex_);
        return seen_.insert(i).second;
    }

private:
    std::mutex mutex_;
    std::set<std::size_t> seen_;
};

inline int world_rank() { return boost::mpi::communicator().rank(); }
inline int world_size() { return boost::mpi::communicator().size(); }

inline std::vector<char> read_bytes(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(std::string const& path, std::vector<char> const& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// The result every test task computes: cheap, exact, different for every index.
inline long value_of(std::size_t i) { return static_cast<long>(i * i % 1009) + 3 * static_cast<long>(i); }

}  // namespace reliab
