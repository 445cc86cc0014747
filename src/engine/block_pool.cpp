#include "engine/block_pool.hpp"

#include <omp.h>

#include <algorithm>
#include <utility>

#include "engine/crash_report.hpp"
#include "engine/thread_team.hpp"

namespace taskfarm::detail {

BlockPool::BlockPool(Job& job, int threads, std::function<void()> poll, std::size_t header_room,
                     bool driver_runs_blocks)
    : job_(job),
      threads_(threads < 1 ? 1 : threads),
      poll_(std::move(poll)),
      header_room_(header_room),
      driver_runs_blocks_(driver_runs_blocks),
      alone_(threads_ == 1 && driver_runs_blocks),
      driver_team_(1, poll_) {}

std::unique_lock<std::mutex> BlockPool::guard() const {
    // A driver without helper threads is the pool's only user: no lock to take (a chunk of one
    // short task takes the pool's lock several times).
    if (alone_) return std::unique_lock<std::mutex>(mutex_, std::defer_lock);
    return std::unique_lock<std::mutex>(mutex_);
}

void BlockPool::run(std::function<void()> const& driver) {
    if (threads_ == 1 && driver_runs_blocks_) {
        driver();
        return;
    }
    std::exception_ptr driver_error;
    int const team = driver_runs_blocks_ ? threads_ : threads_ + 1;
#pragma omp parallel num_threads(team) default(none) shared(driver, driver_error)
    {
        int const thread = omp_get_thread_num();
        if (thread == 0) {
            // An exception must not leave the parallel region: keep it for after the join.
            try {
                driver();
            } catch (...) {
                driver_error = std::current_exception();
            }
            {
                std::lock_guard lock(mutex_);
                closing_ = true;
                queued_.clear();
            }
            wake_.notify_all();
        } else {
            helper_thread(driver_runs_blocks_ ? thread : thread - 1);
        }
    }
    closing_ = false;
    if (driver_error) std::rethrow_exception(driver_error);
}

void BlockPool::helper_thread(int thread) {
    ThreadTeam alone(1, nullptr);
    for (;;) {
        QueuedBlock block;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return closing_ || !queued_.empty(); });
            if (queued_.empty()) return;  // closing
            block = std::move(queued_.front());
            queued_.pop_front();
            ++running_;
        }
        FinishedBlock done = execute(block, alone, thread);
        std::lock_guard lock(mutex_);
        --running_;
        finished_.push_back(std::move(done));
    }
}

FinishedBlock BlockPool::execute(QueuedBlock& block, Team& team, int thread) {
    FinishedBlock done;
    {
        // The roomiest spare: a block of large results then reuses the memory of the last one
        // instead of a fresh buffer that is faulted in page by page (most spares are small inputs).
        auto const lock = guard();
        if (!spare_.empty()) {
            auto roomiest = std::max_element(spare_.begin(), spare_.end(), [](Bytes const& a, Bytes const& b) {
                return a.capacity() < b.capacity();
            });
            std::iter_swap(roomiest, spare_.end() - 1);
            done.results = std::move(spare_.back());
            spare_.pop_back();
        }
    }
    done.first = block.first;
    done.count = block.count;
    done.thread = thread;
    FailureList failures;
    done.results.resize(header_room_);
    done.start = std::chrono::steady_clock::now();
    try {
        RunningTaskClaim const running;  // names this block's tasks if the process dies in one
        job_.run_block(block.first, block.count, ByteView(block.inputs).subspan(block.offset), done.results, failures,
                       team);
    } catch (std::exception const& e) {
        // Not a task's exception (those are in `failures`): the block could not be decoded or
        // encoded. Blame its first task; no results survive.
        done.failed_whole = true;
        done.results.resize(header_room_);
        failures.add(block.first, e.what());
    }
    done.end = std::chrono::steady_clock::now();
    done.failures = std::move(failures.items());
    recycle(std::move(block.inputs));  // the message the inputs came in, now read
    return done;
}

void BlockPool::push(QueuedBlock block) {
    {
        auto const lock = guard();
        queued_.push_back(std::move(block));
    }
    if (!alone_) wake_.notify_one();
}

bool BlockPool::run_one() {
    if (!driver_runs_blocks_) return false;
    QueuedBlock block;
    {
        auto const lock = guard();
        if (queued_.empty()) return false;
        block = std::move(queued_.front());
        queued_.pop_front();
        ++running_;
    }
    FinishedBlock done = execute(block, driver_team_, 0);
    auto const lock = guard();
    --running_;
    finished_.push_back(std::move(done));
    return true;
}

void BlockPool::recycle(Bytes&& buffer) {
    if (buffer.capacity() == 0) return;
    buffer.clear();
    auto const lock = guard();
    // One spare per thread and a few in flight cover the steady state; more would only hold memory.
    // When full, a larger buffer takes the smallest one's place (results outgrow inputs).
    if (spare_.size() < static_cast<std::size_t>(2 * threads_ + 2)) {
        spare_.push_back(std::move(buffer));
        return;
    }
    auto smallest = std::min_element(spare_.begin(), spare_.end(),
                                     [](Bytes const& a, Bytes const& b) { return a.capacity() < b.capacity(); });
    if (smallest->capacity() < buffer.capacity()) *smallest = std::move(buffer);
}

std::optional<FinishedBlock> BlockPool::pop_finished() {
    auto const lock = guard();
    if (finished_.empty()) return std::nullopt;
    FinishedBlock done = std::move(finished_.front());
    finished_.pop_front();
    return done;
}

std::size_t BlockPool::queued() const {
    auto const lock = guard();
    return queued_.size();
}

std::size_t BlockPool::in_hand() const {
    auto const lock = guard();
    return queued_.size() + running_ + finished_.size();
}

std::vector<QueuedBlock> BlockPool::drop_queued() {
    auto const lock = guard();
    std::vector<QueuedBlock> dropped(std::make_move_iterator(queued_.begin()), std::make_move_iterator(queued_.end()));
    queued_.clear();
    return dropped;
}

}  // namespace taskfarm::detail
