// `taskfarm report TRACE [-o timeline.svg]`: reads a trace that a farm call wrote
// (Options::trace), prints its statistics and draws its timeline as SVG. Needs no MPI.
#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>

#include <taskfarm/errors.hpp>

#include "commands.hpp"
#include "run_options.hpp"
#include "timeline_svg.hpp"
#include "trace/chrome_trace_reader.hpp"
#include "trace/statistics.hpp"

namespace po = boost::program_options;

namespace taskfarm::cli {

namespace {

std::string const report_usage =
    "Usage: taskfarm report TRACE [-o timeline.svg] [--width PIXELS] [--title TEXT] [--quiet]\n"
    "Reads TRACE (the Chrome trace-event JSON a farm call wrote, see docs/TRACING.md), prints\n"
    "its statistics per rank and draws its timeline as an SVG for a browser: utilization over\n"
    "time, then a row per rank and thread, busy and idle coloured.\n";

// run.trace.json -> run.trace.svg; anything else gets ".svg" appended.
std::string default_output(std::string const& trace) {
    std::string const json = ".json";
    if (trace.size() > json.size() && trace.compare(trace.size() - json.size(), json.size(), json) == 0)
        return trace.substr(0, trace.size() - json.size()) + ".svg";
    return trace + ".svg";
}

void write_file(std::string const& path, std::string const& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw Error("taskfarm: cannot write " + path);
}

}  // namespace

int report_command(std::vector<std::string> const& args, bool prints) {
    std::string trace;
    std::string output;
    TimelineOptions timeline;
    po::options_description visible("Options");
    // clang-format off
    visible.add_options()
        ("output,o", po::value(&output)->value_name("FILE"),
         "where to write the timeline (default: TRACE with .json replaced by .svg; - for stdout)")
        ("width", po::value(&timeline.width)->value_name("PIXELS")->default_value(1200), "width of the picture")
        ("title", po::value(&timeline.title)->value_name("TEXT"), "title of the picture")
        ("quiet,q", "do not print the statistics")
        ("help,h", "show this help");
    // clang-format on
    po::options_description all;
    // clang-format off
    all.add(visible).add_options()("trace", po::value(&trace));
    // clang-format on
    po::positional_options_description positional;
    positional.add("trace", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (po::error const& e) {
        throw UsageError(std::string(e.what()) + " (see taskfarm report --help)");
    }
    if (vm.count("help")) {
        if (prints) std::cout << report_usage << "\n" << visible;
        return 0;
    }
    if (trace.empty()) throw UsageError("report: which trace? (taskfarm report TRACE -o timeline.svg)");
    if (timeline.width < 600 || timeline.width > 10000) throw UsageError("report: --width must be 600 to 10000");
    if (output.empty()) output = default_output(trace);

    try {
        detail::CallTrace const call = detail::read_chrome_trace_file(trace);
        std::string const svg = timeline_svg(call, timeline);
        if (output == "-") {
            std::cout << svg;
        } else {
            write_file(output, svg);
            if (!vm.count("quiet")) std::cout << detail::compute_statistics(call) << "timeline: " << output << "\n";
        }
    } catch (Error const& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace taskfarm::cli
