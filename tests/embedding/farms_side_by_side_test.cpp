// Farms and executors embedded in a program with its own communicators and its own messages:
// two farms at once on two communicators, and the application's messages that use the very tags
// of the farm (101/102) and of the executor (201/202) are left for the application to receive.
#include <gtest/gtest.h>

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <numeric>
#include <thread>
#include <vector>

#include <boost/mpi/collectives/all_reduce.hpp>
#include <boost/mpi/communicator.hpp>

#include <taskfarm/executor.hpp>
#include <taskfarm/taskfarm.hpp>

namespace {

std::int64_t triple(std::int64_t x) { return 3 * x; }
TASKFARM_TASK(triple);

double halve(std::size_t i) { return static_cast<double>(i) / 2; }
std::int64_t square(std::size_t i) { return static_cast<std::int64_t>(i * i); }

TEST(FarmsSideBySide, EachHalfOfTheWorldFarmsOnItsOwn) {
    boost::mpi::communicator world;
    // Halves: even and odd ranks; each half farms a different function, at the same time.
    boost::mpi::communicator half = world.split(world.rank() % 2);
    taskfarm::Farm farm(half);
    bool const even = world.rank() % 2 == 0;
    std::size_t const n = even ? 300 : 211;
    if (even) {
        auto const out = farm.map(halve, taskfarm::indices(n));
        if (farm.is_root()) {
            ASSERT_EQ(out.size(), n);
            for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], halve(i));
        }
    } else {
        auto const out = farm.map(square, taskfarm::indices(n));
        if (farm.is_root()) {
            ASSERT_EQ(out.size(), n);
            for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], square(i));
        }
    }
}

TEST(FarmsSideBySide, TwoLiveFarmsTakeTurns) {
    boost::mpi::communicator world;
    boost::mpi::communicator half = world.split(world.rank() % 2);
    taskfarm::Farm whole(world);
    taskfarm::Farm part(half);
    for (int round = 0; round < 3; ++round) {
        std::size_t const n = 100 + static_cast<std::size_t>(round);
        auto const a = part.map_reduce(square, std::plus<>{}, taskfarm::indices(n), std::int64_t{0});
        auto const b = whole.map_reduce(square, std::plus<>{}, taskfarm::indices(2 * n), std::int64_t{0});
        std::int64_t expect_a = 0, expect_b = 0;
        for (std::size_t i = 0; i < n; ++i) expect_a += square(i);
        for (std::size_t i = 0; i < 2 * n; ++i) expect_b += square(i);
        if (part.is_root()) {
            EXPECT_EQ(a, expect_a);
        }
        if (whole.is_root()) {
            EXPECT_EQ(b, expect_b);
        }
    }
}

// Sends one message with `tag` from every rank to every rank (self included) on `comm`, carrying
// sender * 1000 + tag, before the farm runs; receives and checks them after.
class PendingAppMessages {
public:
    PendingAppMessages(MPI_Comm comm, std::vector<int> tags) : comm_(comm), tags_(std::move(tags)) {
        MPI_Comm_rank(comm_, &rank_);
        MPI_Comm_size(comm_, &size_);
        for (int tag : tags_) {
            for (int dest = 0; dest < size_; ++dest) {
                payloads_.push_back(rank_ * 1000 + tag);
            }
        }
        std::size_t k = 0;
        for (int tag : tags_) {
            for (int dest = 0; dest < size_; ++dest) {
                requests_.emplace_back();
                MPI_Isend(&payloads_[k++], 1, MPI_INT, dest, tag, comm_, &requests_.back());
            }
        }
    }

    // Every expected message is still there for the application, with its own content. A message
    // taken by the farm would never arrive, so the wait for each one is bounded.
    void expect_all_received() {
        for (int tag : tags_) {
            for (int source = 0; source < size_; ++source) {
                if (!arrives_within(source, tag, std::chrono::seconds(20))) {
                    ADD_FAILURE() << "the message with tag " << tag << " from rank " << source << " was taken";
                    continue;
                }
                int value = -1;
                MPI_Recv(&value, 1, MPI_INT, source, tag, comm_, MPI_STATUS_IGNORE);
                EXPECT_EQ(value, source * 1000 + tag) << "tag " << tag << " from " << source;
            }
        }
        MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
    }

private:
    bool arrives_within(int source, int tag, std::chrono::seconds limit) const {
        auto const deadline = std::chrono::steady_clock::now() + limit;
        for (;;) {
            int flag = 0;
            MPI_Iprobe(source, tag, comm_, &flag, MPI_STATUS_IGNORE);
            if (flag != 0) return true;
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    MPI_Comm comm_;
    std::vector<int> tags_;
    int rank_ = 0;
    int size_ = 1;
    std::vector<int> payloads_;
    std::vector<MPI_Request> requests_;
};

TEST(FarmsSideBySide, ApplicationMessagesWithTheFarmsTagsAreNotStolen) {
    boost::mpi::communicator world;
    PendingAppMessages app(MPI_COMM_WORLD, {101, 102});  // the farm's block and result tags
    taskfarm::Farm farm(world);
    auto const out = farm.map(square, taskfarm::indices(500));
    if (farm.is_root()) {
        ASSERT_EQ(out.size(), 500u);
        for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], square(i));
    }
    app.expect_all_received();
}

TEST(FarmsSideBySide, ApplicationMessagesWithTheExecutorsTagsAreNotStolen) {
    boost::mpi::communicator world;
    PendingAppMessages app(MPI_COMM_WORLD, {201, 202});  // the executor's task and outcome tags
    {
        taskfarm::Executor ex(world);
        if (ex.is_root()) {
            auto const out = ex.map(triple, std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7});
            EXPECT_EQ(out, (std::vector<std::int64_t>{3, 6, 9, 12, 15, 18, 21}));
        }
    }
    app.expect_all_received();
}

}  // namespace
