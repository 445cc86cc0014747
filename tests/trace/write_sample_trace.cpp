// Writes a synthetic farm call's Chrome trace (tests/trace/trace_fixtures.hpp), for the
// end-to-end test of `taskfarm report`: write_sample_trace PATH TASKS RANKS THREADS.
#include <cstdlib>
#include <iostream>
#include <string>

#include "trace/chrome_trace.hpp"
#include "trace_fixtures.hpp"

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: write_sample_trace PATH TASKS RANKS THREADS\n";
        return 2;
    }
    auto call = taskfarm::detail::testing::synthetic_call(std::stoull(argv[2]), std::stoi(argv[3]), std::stoi(argv[4]));
    taskfarm::detail::write_chrome_trace_file(argv[1], call);
    return 0;
}
