// The typed jobs' encoding of a block's results: one thread encodes each result as it is made
// (codec.hpp's ValueWriter), more threads keep them all and encode after; both must give the
// same bytes, with a default value where a task threw, and the root must read them back.
#include <gtest/gtest.h>

#include <cstdint>
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

// A sub-master joins the answers of a group block's pieces into one (Job::merge_results), so the
// root accepts, journals and folds the block once. The joined bytes must read back as the whole
// block run at once would: every value in task order (raw and archived), and a map_reduce's
// partials folded in task order (string concatenation shows any reordering).
namespace {
template <class J>
Bytes run_range(J& job, std::uint64_t first, std::uint64_t count) {
    Bytes inputs;
    job.encode_inputs(first, count, inputs);
    ThreadTeam team(1, nullptr);
    FailureList failures;
    Bytes out;
    job.run_block(first, count, inputs, out, failures, team);
    EXPECT_TRUE(failures.items().empty());
    return out;
}

/// Runs [0, n) as pieces of the given sizes and joins their answers.
template <class J>
Bytes run_as_pieces(J& job, std::vector<std::uint64_t> const& sizes) {
    std::vector<Bytes> answers;
    std::vector<taskfarm::detail::Job::Piece> pieces;
    std::uint64_t first = 0;
    for (auto size : sizes) {
        answers.push_back(run_range(job, first, size));
        first += size;
    }
    first = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        pieces.push_back({first, sizes[i], answers[i]});
        first += sizes[i];
    }
    Bytes joined;
    EXPECT_TRUE(job.merge_results(pieces, joined));
    return joined;
}
}  // namespace

TEST(TypedJobs, JoinedPiecesOfAMapReadBackAsTheWholeBlock) {
    std::vector<int> inputs(10);
    for (int i = 0; i < 10; ++i) inputs[static_cast<std::size_t>(i)] = 3 * i;  // none throws (x % 3 == 0)
    auto text = [](int x) { return result_of(x); };
    std::vector<std::string> texts(inputs.size());
    MapJob<decltype(text), std::vector<int>> archived(text, inputs, &texts);
    archived.accept_results(0, inputs.size(), run_as_pieces(archived, {3, 1, 4, 2}), {});
    for (std::size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(texts[i], result_of(inputs[i])) << "task " << i;

    auto square = [](int x) { return std::int64_t{x} * x; };
    std::vector<std::int64_t> squares(inputs.size(), -1);
    MapJob<decltype(square), std::vector<int>> raw(square, inputs, &squares);
    Bytes const joined = run_as_pieces(raw, {5, 5});
    EXPECT_EQ(joined, run_range(raw, 0, inputs.size()));
    raw.accept_results(0, inputs.size(), joined, {});
    for (std::size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(squares[i], std::int64_t{inputs[i]} * inputs[i]);
}

TEST(TypedJobs, JoinedPiecesOfAMapReduceFoldInTaskOrder) {
    std::vector<int> const inputs{0, 1, 2, 3, 4, 5, 6, 7};
    auto letter = [](int x) { return std::string(1, static_cast<char>('a' + x)); };
    auto concatenate = [](std::string a, std::string const& b) { return a + b; };
    std::string folded;
    ReduceJob<decltype(letter), decltype(concatenate), std::vector<int>, std::string> job(letter, concatenate, inputs,
                                                                                          &folded);
    Bytes const joined = run_as_pieces(job, {2, 3, 1, 2});
    auto const segments = decode_segments<std::string>(joined);
    ASSERT_EQ(segments.size(), 1u) << "the pieces are consecutive: one segment";
    EXPECT_EQ(segments[0].first, 0u);
    EXPECT_EQ(segments[0].count, inputs.size());
    job.accept_results(0, inputs.size(), joined, {});
    EXPECT_EQ(folded, "abcdefgh");
}
