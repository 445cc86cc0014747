// Input and result types beyond the arithmetic ones, and the input kinds (vector, generate).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <taskfarm/taskfarm.hpp>

namespace {

struct Params {
    double beta = 0;
    int seed = 0;
    std::string label;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        // clang-format off
        ar & beta & seed & label;
        // clang-format on
    }
};

struct Summary {  // trivially copyable: travels as raw bytes
    double energy;
    int seed;
};

std::vector<Params> make_params(std::size_t n) {
    std::vector<Params> v;
    for (std::size_t i = 0; i < n; ++i)
        v.push_back({0.1 * static_cast<double>(i), static_cast<int>(i * 7), "run-" + std::to_string(i)});
    return v;
}

std::string describe(Params const& p) { return p.label + "@" + std::to_string(p.seed); }

TEST(FarmTypes, StructWithStringToString) {
    taskfarm::Farm farm;
    std::vector<Params> inputs;
    if (farm.is_root()) inputs = make_params(300);
    auto const out = farm.map(describe, inputs);
    if (!farm.is_root()) return;
    ASSERT_EQ(out.size(), inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(out[i], describe(inputs[i]));
}

TEST(FarmTypes, StructToRawStruct) {
    taskfarm::Farm farm;
    std::vector<Params> inputs;
    if (farm.is_root()) inputs = make_params(200);
    auto fn = [](Params const& p) { return Summary{p.beta * p.beta, p.seed}; };
    auto const out = farm.map(fn, inputs);
    if (!farm.is_root()) return;
    ASSERT_EQ(out.size(), inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        EXPECT_EQ(out[i].energy, fn(inputs[i]).energy);
        EXPECT_EQ(out[i].seed, inputs[i].seed);
    }
}

TEST(FarmTypes, VectorAndMapResults) {
    taskfarm::Farm farm;
    auto to_vector = [](std::size_t i) { return std::vector<int>(i % 5, static_cast<int>(i)); };
    auto const vs = farm.map(to_vector, taskfarm::indices(120));
    auto to_map = [](std::size_t i) { return std::map<std::string, int>{{"i", int(i)}, {"sq", int(i * i)}}; };
    auto const ms = farm.map(to_map, taskfarm::indices(80));
    if (!farm.is_root()) return;
    ASSERT_EQ(vs.size(), 120u);
    for (std::size_t i = 0; i < vs.size(); ++i) EXPECT_EQ(vs[i], to_vector(i));
    ASSERT_EQ(ms.size(), 80u);
    for (std::size_t i = 0; i < ms.size(); ++i) EXPECT_EQ(ms[i], to_map(i));
}

TEST(FarmTypes, StringInputsToLengths) {
    taskfarm::Farm farm;
    std::vector<std::string> inputs;
    if (farm.is_root())
        for (int i = 0; i < 150; ++i) inputs.push_back(std::string(static_cast<std::size_t>(i), 'x'));
    auto const out = farm.map([](std::string const& s) { return s.size(); }, inputs);
    if (!farm.is_root()) return;
    for (std::size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(out[i], i);
}

TEST(FarmTypes, GeneratedInputsAreMadeOnTheRootOnly) {
    taskfarm::Farm farm;
    int made_here = 0;
    auto inputs = taskfarm::generate(250, [&made_here](std::size_t i) {
        ++made_here;
        return Params{double(i), int(i), "g" + std::to_string(i)};
    });
    auto const out = farm.map(describe, inputs);
    if (farm.is_root()) {
        ASSERT_EQ(out.size(), 250u);
        for (std::size_t i = 0; i < out.size(); ++i)
            EXPECT_EQ(out[i], "g" + std::to_string(i) + "@" + std::to_string(i));
        EXPECT_GE(made_here, 250);
    } else {
        EXPECT_EQ(made_here, 0);
    }
}

TEST(FarmTypes, MapReduceOfStringsKeepsTaskOrder) {
    // Concatenation is associative but not commutative: any out-of-order fold shows.
    taskfarm::Farm farm;
    auto const joined = farm.map_reduce([](std::size_t i) { return std::to_string(i) + ","; },
                                        [](std::string a, std::string const& b) { return a + b; },
                                        taskfarm::indices(400), std::string("<"));
    if (!farm.is_root()) {
        EXPECT_EQ(joined, "<");
        return;
    }
    std::string expected = "<";
    for (int i = 0; i < 400; ++i) expected += std::to_string(i) + ",";
    EXPECT_EQ(joined, expected);
}

}  // namespace
