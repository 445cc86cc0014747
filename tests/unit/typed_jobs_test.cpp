// The typed jobs' encoding of a block's results: one thread encodes each result as it is made
// (codec.hpp's ValueWriter), more threads keep them all and encode after; both must give the
// same bytes, with a default value where a task threw, and the root must read them back.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <taskfarm/detail/typed_jobs.hpp>

#include "engine/thread_team.hpp"

using namespace taskfarm::detail;

namespace {
std::string result_of(int x) {
    if (x % 3 == 1) throw std::runtime_error("task " + std::to_string(x) + " throws");
    return std::string(static_cast<std::size_t>(x) * 1000, static_cast<char>('a' + x));
}

Bytes run_block_on(int threads, std::vector<int> const& inputs, FailureList& failures) {
    auto fn = [](int x) { return result_of(x); };
    MapJob<decltype(fn), std::vector<int>> job(fn, inputs, nullptr);
    Bytes encoded_inputs;
    job.encode_inputs(0, inputs.size(), encoded_inputs);
    ThreadTeam team(threads, nullptr);
    Bytes out;
    job.run_block(0, inputs.size(), encoded_inputs, out, failures, team);
    return out;
}
}  // namespace

TEST(TypedJobs, OneThreadEncodesTheSameBytesAsMany) {
    std::vector<int> const inputs{0, 1, 2, 3, 4, 5, 6, 7, 8};
    FailureList one_failures;
    FailureList many_failures;
    Bytes const one = run_block_on(1, inputs, one_failures);
    Bytes const many = run_block_on(2, inputs, many_failures);
    EXPECT_EQ(one, many);
    EXPECT_EQ(one_failures.items().size(), 3u);  // tasks 1, 4, 7
    EXPECT_EQ(many_failures.items().size(), 3u);

    DecodedValues<std::string> values(one, inputs.size());
    for (int x : inputs) {
        if (x % 3 == 1) {
            EXPECT_EQ(values[static_cast<std::uint64_t>(x)], "") << "task " << x << " threw: a default value";
        } else {
            EXPECT_EQ(values[static_cast<std::uint64_t>(x)], result_of(x)) << "task " << x;
        }
    }
}

TEST(TypedJobs, MapTakesArchivedResultsInOrderSkippingFailedTasks) {
    std::vector<int> const inputs{0, 1, 2, 3, 4, 5};
    FailureList failures;
    Bytes const results = run_block_on(1, inputs, failures);
    auto fn = [](int x) { return result_of(x); };
    std::vector<std::string> out(inputs.size(), "untouched");
    MapJob<decltype(fn), std::vector<int>> job(fn, inputs, &out);
    std::vector<std::uint64_t> const skip{1, 4};
    job.accept_results(0, inputs.size(), results, skip);
    for (int x : inputs) {
        auto const i = static_cast<std::size_t>(x);
        EXPECT_EQ(out[i], x % 3 == 1 ? std::string("untouched") : result_of(x)) << "task " << x;
    }
}

TEST(TypedJobs, ForEachHandsOnEveryKeptResultOnce) {
    std::vector<int> const inputs{0, 2, 3, 5, 6};  // none throws
    FailureList failures;
    Bytes const results = run_block_on(1, inputs, failures);
    EXPECT_TRUE(failures.items().empty());
    auto fn = [](int x) { return result_of(x); };
    std::vector<std::size_t> seen;
    auto callback = [&](std::size_t i, std::string const& r) {
        EXPECT_EQ(r, result_of(inputs[i])) << "task " << i;
        seen.push_back(i);
    };
    ForEachJob<decltype(fn), std::vector<int>, decltype(callback)> job(fn, inputs, callback);
    std::vector<std::uint64_t> const skip{3};
    job.accept_results(0, inputs.size(), results, skip);
    EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1, 2, 4}));
}
