// Appends per second to a journal on a real file system, with the default fsync batching and with a
// sync per record (what batching saves). The journal goes to $TASKFARM_BENCH_DIR, else the current
// directory (not /tmp, which may be memory). Run: taskfarm_journal_append_bench [--benchmark_min_time=0.5s]
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "journal/writer.hpp"

namespace {
using namespace taskfarm::journal;

std::filesystem::path bench_path() {
    char const* dir = std::getenv("TASKFARM_BENCH_DIR");
    return std::filesystem::path(dir ? dir : ".") / ("journal-bench-" + std::to_string(::getpid()));
}

void append_blocks(benchmark::State& state, Durability durability) {
    std::vector<std::byte> payload(static_cast<std::size_t>(state.range(0)), std::byte{7});
    auto const path = bench_path();
    std::filesystem::remove(path);
    constexpr std::uint64_t tasks = std::uint64_t{1} << 40;
    auto opened = open_journal(path, 0, Fingerprint{tasks, 1, "bench", "map", "bench"}, durability);
    std::uint64_t first = 0;
    for (auto _ : state) {
        opened.writer.append_block(first, 1, payload);
        ++first;
    }
    opened.writer.close();
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(payload.size()));
    state.counters["syncs"] = static_cast<double>(opened.writer.stats().syncs);
    std::filesystem::remove(path);
}

void BM_AppendDefaultDurability(benchmark::State& state) { append_blocks(state, Durability{}); }
void BM_AppendSyncEveryRecord(benchmark::State& state) { append_blocks(state, Durability{1, 0.0}); }

BENCHMARK(BM_AppendDefaultDurability)->Arg(64)->Arg(4096)->Arg(65536)->UseRealTime();
BENCHMARK(BM_AppendSyncEveryRecord)->Arg(64)->Arg(4096)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
