// Shared read-only data (issue 13): a lookup table that only the root loads, which every task
// needs. taskfarm::shared(table) sends it to every rank once per call (not once per chunk) and
// passes it to each task by const reference; the program checks the farmed answers against a
// serial loop. Capturing `table` by reference instead would give the other ranks' tasks an empty
// table: captures are the capturing rank's own variables; inputs and shared values travel.
// Usage: shared_table [entries=1000000] [tasks=20000]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include <taskfarm/taskfarm.hpp>

namespace {

// What the root reads from a file in a real program (here: made up, on the root only).
std::vector<double> load_table(std::size_t entries) {
    std::vector<double> table(entries);
    for (std::size_t i = 0; i < entries; ++i) table[i] = std::sin(0.001 * static_cast<double>(i));
    return table;
}

// One task: a short walk through the table from a start that depends on the task.
double walk(std::vector<double> const& table, std::size_t task) {
    double sum = 0;
    std::size_t at = (task * 2654435761u) % table.size();
    for (int step = 0; step < 200; ++step) {
        sum += table[at];
        at = (at * 31 + 7) % table.size();
    }
    return sum;
}

}  // namespace

int main(int argc, char** argv) {
    taskfarm::Environment env(argc, argv);
    std::size_t const entries = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1'000'000;
    std::size_t const tasks = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20'000;
    taskfarm::Farm farm;

    std::vector<double> table;
    if (farm.is_root()) table = load_table(entries);

    std::vector<double> const out = farm.map(walk, taskfarm::shared(table), taskfarm::indices(tasks));
    double const total = farm.map_reduce(walk, std::plus<>{}, taskfarm::shared(table), taskfarm::indices(tasks), 0.0);

    if (!farm.is_root()) return 0;
    double serial_total = 0;
    for (std::size_t i = 0; i < tasks; ++i) {
        double const expected = walk(table, i);
        serial_total += expected;
        if (out[i] != expected) {
            std::fprintf(stderr, "shared_table: task %zu gave %.17g, serially %.17g\n", i, out[i], expected);
            return 1;
        }
    }
    if (std::abs(total - serial_total) > 1e-9 * (1 + std::abs(serial_total))) {
        std::fprintf(stderr, "shared_table: map_reduce gave %.17g, serially %.17g\n", total, serial_total);
        return 1;
    }
    std::printf("shared_table: %zu tasks over a %zu-entry table on %d ranks: correct\n", tasks, entries, farm.size());
    return 0;
}
