/// @file
/// @brief The taskfarm benchmark: runs the chosen measurements through the public API only and
/// prints one `BENCH {...}` line per repetition (tools/make_report.py turns them into
/// docs/BENCHMARKS.md). Every result is checked, so `--quick` doubles as the CTest smoke test.
///
///   mpirun -n 2 taskfarm_bench --scenario dispatch
///   mpirun -n 1 taskfarm_bench --scenario dispatch --threads 2
///   mpirun -n 2 taskfarm_bench --scenario memory --n 100000000
///   mpirun -n 2 taskfarm_bench --scenario all --quick        # smoke: tiny sizes, results checked
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include <boost/program_options.hpp>

#include <taskfarm/taskfarm.hpp>

#include "taskfarm_bench/scenarios.hpp"

namespace po = boost::program_options;

namespace bench {

void fail(Context const& ctx, std::string const& what) {
    std::cerr << "taskfarm_bench: rank " << ctx.world.rank() << ": " << what << std::endl;
    ctx.world.abort(1);
    std::abort();  // abort() does not return; this keeps [[noreturn]] honest if it ever did
}

}  // namespace bench

int main(int argc, char** argv) {
    taskfarm::Environment env(argc, argv);
    bench::Context ctx;

    std::string scenario;
    double memory_n = 1e5;
    po::options_description desc("taskfarm_bench options");
    // clang-format off
    desc.add_options()("help", "this text")  //
        ("scenario", po::value(&scenario)->default_value("all"),
         "dispatch, granularity, imbalance, serial, payload, memory, fixed-cost, or all")               //
        ("quick", po::bool_switch(&ctx.quick), "tiny sizes, one repetition: checks results only")  //
        ("reps", po::value(&ctx.reps)->default_value(3), "repetitions of each measurement")     //
        ("threads", po::value(&ctx.threads)->default_value(1), "OpenMP threads per rank")       //
        ("cores", po::value(&ctx.cores)->default_value(2), "cores that efficiency counts")      //
        ("min-seconds", po::value(&ctx.min_seconds)->default_value(0.25),
         "shortest timed run when the task count is calibrated")                                //
        ("durations", po::value(&ctx.durations_file), "lognormal durations file (us per line)") //
        ("limit", po::value(&ctx.durations_limit)->default_value(0),
         "use the first N durations only (0: all)")                                             //
        ("n", po::value(&memory_n)->default_value(1e5), "tasks of the memory scenario (1e8 is fine)")  //
        ("work-seconds", po::value(&ctx.work_seconds)->default_value(2.0),
         "CPU seconds of each granularity point's tasks (2: 2 M tasks of 1 us)")                 //
        ("trace", po::value(&ctx.trace_file), "imbalance: write the farm's trace here (Options.trace)")  //
        ("only", po::value(&ctx.only),
         "dispatch, payload: only the configurations whose name holds this text (e.g. 'indices chunk=1')")  //
        ("prefetch", po::value(&ctx.prefetch)->default_value(0),
         "Options.prefetch of every farm (0: the library's default), to compare builds at one setting")  //
        ("payload-chunk", po::value(&ctx.payload_chunk)->default_value(0),
         "payload: tasks per chunk (0: automatic); fixed, message sizes do not depend on a loaded machine's timing");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
    } catch (po::error const& e) {
        if (ctx.is_root()) std::cerr << "taskfarm_bench: " << e.what() << "\n" << desc << "\n";
        return 2;
    }
    if (vm.count("help")) {
        if (ctx.is_root()) std::cout << desc << "\n";
        return 0;
    }
    ctx.memory_n = static_cast<std::size_t>(memory_n);
    if (ctx.quick) {
        ctx.reps = 1;
        if (vm["work-seconds"].defaulted()) ctx.work_seconds = 0.02;
    }

    using Run = void (*)(bench::Context const&);
    std::map<std::string, Run> const scenarios = {
        {"dispatch", bench::run_dispatch},    {"granularity", bench::run_granularity},
        {"imbalance", bench::run_imbalance},  {"serial", bench::run_serial},
        {"payload", bench::run_payload},      {"memory", bench::run_memory},
        {"fixed-cost", bench::run_fixed_cost}};
    if (scenario == "all") {
        for (auto const& [name, run] : scenarios) run(ctx);
    } else if (auto it = scenarios.find(scenario); it != scenarios.end()) {
        it->second(ctx);
    } else {
        if (ctx.is_root()) std::cerr << "taskfarm_bench: unknown scenario '" << scenario << "'\n";
        return 2;
    }
    return 0;
}
