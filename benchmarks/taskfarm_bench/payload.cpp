/// @file
/// @brief Payload: tasks returning 1 MiB each, consumed by for_each on the root (so the root never
/// holds them all); GB/s of results arriving at the root, to compare with the raw MPI bandwidth.
/// Two result types: std::vector<char> (a Boost archive) and a trivially copyable struct (raw
/// bytes, consumed by for_each, and by map, which receives them straight into its output); and
/// with the root computing (half the results never cross the wire) or only serving.
#include <sys/resource.h>
#include <time.h>

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

/// CPU time of this whole process (all its threads), in seconds: what the root spends per MiB
/// received is the figure that a busy machine disturbs least.
double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// Page faults of this process so far: each fresh 4 KiB page that a buffer touches costs one
/// (about 2.5 us here, 5x the wire's time for those bytes), and a busy machine does not change
/// their count.
double minor_faults() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_minflt);
}

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
    std::string const config = ctx.layout() + " " + type + (root_computes ? " root computes" : " root serves only");
    if (!ctx.wanted(config)) return;
    taskfarm::Farm farm(ctx.world, ctx.options(ctx.payload_chunk, root_computes));
    double cpu = 0;     // the root's CPU seconds in the last run
    double faults = 0;  // and its page faults
    auto run = [&](std::size_t n) {
        std::size_t received = 0;
        double const cpu_start = process_cpu_seconds();
        double const faults_start = minor_faults();
        double const seconds = timed(ctx, [&] {
            farm.for_each(make, taskfarm::indices(n), [&](std::size_t i, auto const& result) {
                if (!correct(i, result)) fail(ctx, "payload: result " + std::to_string(i) + " is wrong");
                ++received;
            });
        });
        cpu = process_cpu_seconds() - cpu_start;
        faults = minor_faults() - faults_start;
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
            .text("config", config)
            .number("rep", rep)
            .number("n", static_cast<double>(n))
            .number("seconds", seconds)
            .number("gb_per_s", static_cast<double>(n * mib) / seconds / 1e9)
            .number("root_cpu_us_per_mib", cpu / static_cast<double>(n) * 1e6)
            .number("root_faults_per_mib", faults / static_cast<double>(n))
            .print();
    }
}

/// map of raw 1 MiB results: they are received straight into map's output. The output (n MiB,
/// allocated and zeroed by map itself) is part of the timed call, as it is for a user.
void measure_map(Context const& ctx, bool root_computes) {
    std::string const config = ctx.layout() + " raw struct map" +
                               (root_computes ? " root computes" : " root serves only");
    if (!ctx.wanted(config)) return;
    taskfarm::Farm farm(ctx.world, ctx.options(ctx.payload_chunk, root_computes));
    std::size_t const n = ctx.quick ? 8 : 256;
    for (int rep = 0; rep < ctx.reps; ++rep) {
        std::vector<RawMiB> out;
        double const cpu_start = process_cpu_seconds();
        double const faults_start = minor_faults();
        double const seconds = timed(ctx, [&] { out = farm.map(make_raw, taskfarm::indices(n)); });
        double const cpu = process_cpu_seconds() - cpu_start;
        double const faults = minor_faults() - faults_start;
        if (!ctx.is_root()) continue;
        if (out.size() != n) fail(ctx, "payload: map returned " + std::to_string(out.size()) + " results");
        for (std::size_t i = 0; i < n; ++i)
            if (!correct(i, out[i])) fail(ctx, "payload: map result " + std::to_string(i) + " is wrong");
        Record("payload")
            .text("impl", "taskfarm")
            .text("config", config)
            .number("rep", rep)
            .number("n", static_cast<double>(n))
            .number("seconds", seconds)
            .number("gb_per_s", static_cast<double>(n * mib) / seconds / 1e9)
            .number("root_cpu_us_per_mib", cpu / static_cast<double>(n) * 1e6)
            .number("root_faults_per_mib", faults / static_cast<double>(n))
            .print();
    }
}

}  // namespace

void run_payload(Context const& ctx) {
    for (bool const root_computes : {false, true}) {
        measure(ctx, "vector<char>", root_computes, make_vector);
        measure(ctx, "raw struct", root_computes, make_raw);
        measure_map(ctx, root_computes);
    }
}

}  // namespace bench
