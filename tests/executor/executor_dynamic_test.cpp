// Driving work as it completes: as_completed yields each future once in completion order, and
// completion callbacks submit more tasks (a tree search whose shape is only known as it runs).
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

#include <taskfarm/executor.hpp>
#include <taskfarm/taskfarm.hpp>

#include "executor_test_tasks.hpp"

using namespace executor_tests;

TASKFARM_TASK(square);
TASKFARM_TASK(fails_on_seven);

namespace {

struct Node {
    std::uint64_t id;
    int depth;
};

// The task: a node's children count (the "expensive" evaluation of a search).
int expand(std::uint64_t id, int depth) { return children_of(id, depth); }
TASKFARM_TASK(expand);

std::uint64_t child_id(std::uint64_t parent, int k) { return parent * 4 + static_cast<std::uint64_t>(k) + 1; }

std::uint64_t serial_tree_size(std::uint64_t id, int depth) {
    std::uint64_t n = 1;
    int const kids = children_of(id, depth);
    for (int k = 0; k < kids; ++k) n += serial_tree_size(child_id(id, k), depth + 1);
    return n;
}

TEST(ExecutorDynamic, AsCompletedYieldsEachFutureOnceInCompletionOrder) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    std::vector<taskfarm::Future<int>> futures;
    for (int x = 0; x < 60; ++x) futures.push_back(ex.submit(fails_on_seven, x % 10));
    std::multiset<std::uint64_t> seen;
    std::uint64_t last_completion = 0;
    int failures = 0;
    for (auto& f : taskfarm::as_completed(futures)) {
        ASSERT_TRUE(f.state().done());
        seen.insert(f.id());
        EXPECT_GT(f.state().completion(), last_completion) << "not in completion order";
        last_completion = f.state().completion();
        try {
            EXPECT_EQ(f.get(), static_cast<int>(f.id() % 10) + 1);
        } catch (taskfarm::TaskError const& e) {
            EXPECT_EQ(f.id() % 10, 7u);
            EXPECT_EQ(e.index(), f.id());
            ++failures;
        }
    }
    EXPECT_EQ(failures, 6);
    ASSERT_EQ(seen.size(), futures.size());
    for (auto const& f : futures) EXPECT_EQ(seen.count(f.id()), 1u) << f.id();
}

TEST(ExecutorDynamic, AsCompletedOfNothingIsEmpty) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    int iterations = 0;
    for ([[maybe_unused]] auto& f : taskfarm::as_completed(std::vector<taskfarm::Future<int>>{})) ++iterations;
    EXPECT_EQ(iterations, 0);
}

TEST(ExecutorDynamic, CallbacksSubmitMoreWorkUntilTheSearchEnds) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    std::uint64_t visited = 0;
    std::set<std::uint64_t> ids;
    // Each completion submits the node's children; the search ends when nothing is left.
    std::function<void(Node)> visit = [&](Node node) {
        ex.submit(expand, node.id, node.depth).add_done_callback([&, node](taskfarm::Future<int> const& f) {
            ++visited;
            ids.insert(node.id);
            for (int k = 0; k < f.get(); ++k) visit(Node{child_id(node.id, k), node.depth + 1});
        });
    };
    visit(Node{0, 0});
    visit(Node{1000, 1});
    ex.wait_idle();
    std::uint64_t const expected = serial_tree_size(0, 0) + serial_tree_size(1000, 1);
    EXPECT_GT(expected, 20u);  // the tree is big enough to need several rounds
    EXPECT_EQ(visited, expected);
    EXPECT_EQ(ids.size(), expected);
}

TEST(ExecutorDynamic, CallbackOnACompletedFutureRunsAtOnce) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    auto f = ex.submit(square, 5);
    f.wait();
    std::int64_t seen = 0;
    f.add_done_callback([&](taskfarm::Future<std::int64_t> const& g) { seen = g.get(); });
    EXPECT_EQ(seen, 25);
}

TEST(ExecutorDynamic, WaitIdleInsideACallbackIsAUsageError) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    bool threw = false;
    ex.submit(square, 2).add_done_callback([&](taskfarm::Future<std::int64_t> const&) {
        try {
            ex.wait_idle();
        } catch (taskfarm::UsageError const&) {
            threw = true;
        }
    });
    ex.wait_idle();
    EXPECT_TRUE(threw);
}

}  // namespace
