/// @file
/// @brief Payload: tasks returning 1 MiB each, consumed by for_each on the root (so the root never
/// holds them all); GB/s of results arriving at the root, to compare with the raw MPI bandwidth.
/// Two result types: std::vector<char> (a Boost archive) and a trivially copyable struct (raw
/// bytes); and with the root computing (half the results never cross the wire) or only serving.
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "support/bench_record.hpp"
#include "taskfarm_bench/scenarios.hpp"

namespace bench {
namespace {

constexpr std::size_t mib = std::size_t{1} << 20;

/// 1 MiB as one trivially copyable object: the farm sends it as raw bytes.
struct RawMiB {
    std::array<char, mib> bytes;
};

char fill_of(std::size_t i) { return static_cast<char>(i & 0x7f); }

std::vector<char> make_vector(std::size_t i) { return std::vector<char>(mib, fill_of(i)); }

RawMiB make_raw(std::size_t i) {
    RawMiB block;
    std::memset(block.bytes.data(), fill_of(i), mib);
    return block;
}

bool filled_with(char const* data, std::size_t i) {
    return data[0] == fill_of(i) && data[mib / 2] == fill_of(i) && data[mib - 1] == fill_of(i);
}
bool correct(std::size_t i, std::vector<char> const& r) { return r.size() == mib && filled_with(r.data(), i); }
bool correct(std::size_t i, RawMiB const& r) { return filled_with(r.bytes.data(), i); }

template <class Make>
void measure(Context const& ctx, std::string const& type, bool root_computes, Make make) {
    taskfarm::Farm farm(ctx.world, ctx.options(0, root_computes));
    auto run = [&](std::size_t n) {
        std::size_t received = 0;
        double const seconds = timed(ctx, [&] {
            farm.for_each(make, taskfarm::indices(n), [&](std::size_t i, auto const& result) {
                if (!correct(i, result)) fail(ctx, "payload: result " + std::to_string(i) + " is wrong");
                ++received;
            });
        });
        if (ctx.is_root() && received != n)
            fail(ctx, "payload: " + std::to_string(received) + " of " + std::to_string(n) + " results arrived");
        return seconds;
    };
    std::size_t const n = collective_size(ctx, {ctx.quick ? 8u : 64u, 8192, ctx.min_seconds}, run);
    for (int rep = 0; rep < ctx.reps; ++rep) {
        double const seconds = run(n);
        if (!ctx.is_root()) continue;
        Record("payload")
            .text("impl", "taskfarm")
            .text("config", ctx.layout() + " " + type + (root_computes ? " root computes" : " root serves only"))
            .number("rep", rep)
            .number("n", static_cast<double>(n))
            .number("seconds", seconds)
            .number("gb_per_s", static_cast<double>(n * mib) / seconds / 1e9)
            .print();
    }
}

}  // namespace

void run_payload(Context const& ctx) {
    for (bool const root_computes : {false, true}) {
        measure(ctx, "vector<char>", root_computes, make_vector);
        measure(ctx, "raw struct", root_computes, make_raw);
    }
}

}  // namespace bench
