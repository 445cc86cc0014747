// `taskfarm report TRACE -o timeline.svg`: the subcommand's name and options are reserved here;
// drawing the timeline is another engineer's work (this file is its hook).
#include <iostream>

#include <boost/program_options.hpp>

#include "commands.hpp"
#include "run_options.hpp"

namespace po = boost::program_options;

namespace taskfarm::cli {

int report_command(std::vector<std::string> const& args, bool prints) {
    std::string trace;
    std::string output;
    po::options_description visible("Options");
    visible.add_options()
        ("output,o", po::value(&output)->value_name("FILE"), "where to write the timeline (SVG)")
        ("help,h", "show this help");
    po::options_description all;
    all.add(visible).add_options()("trace", po::value(&trace));
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
        if (prints) std::cout << report_help() << "\n" << visible;
        return 0;
    }
    if (prints) std::cerr << "taskfarm: report: not implemented yet\n";
    return 1;
}

}  // namespace taskfarm::cli
