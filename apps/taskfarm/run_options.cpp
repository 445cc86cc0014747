#include "run_options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <sstream>
#include <string_view>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace taskfarm::cli {

namespace {

po::options_description top_level_options() {
    po::options_description options("Options");
    options.add_options()
        ("help,h", "show this help")
        ("version", "show the version");
    return options;
}

po::options_description run_visible_options(RunOptions& o) {
    po::options_description input("Tasks");
    input.add_options()
        ("template,t", po::value(&o.command_template)->value_name("CMD"),
         "one task per row of FILE (tab- or comma-separated): {1}, {2}... are the row's fields "
         "(shell-quoted), {#} the task number, {name} the field under the header column 'name'")
        ("header", po::bool_switch(&o.header),
         "the table's first row is a header (implied when the template uses {name})");

    po::options_description running("Running");
    running.add_options()
        ("threads,j", po::value<int>()->value_name("N"),
         "tasks at once per rank (default: $SLURM_CPUS_PER_TASK, else 1)")
        ("timeout", po::value(&o.timeout)->value_name("SECS"),
         "kill a task's whole process group after SECS seconds (SIGTERM, then SIGKILL); it counts as failed")
        ("retries", po::value(&o.retries)->value_name("N"), "run a failing task up to N more times")
        ("halt-on-error", po::bool_switch(&o.halt_on_error),
         "after the first failure start no new task; running ones finish; the rest are not run")
        ("part", po::value<std::string>()->value_name("K/N"),
         "run only the tasks whose number is K modulo N (part N: N, 2N, ...); task numbers, joblog "
         "lines and output files stay those of the whole file, so N parts (a job array) add up to it")
        ("max-output", po::value<std::string>()->value_name("BYTES")->default_value("64M"),
         "keep at most BYTES (K, M, G suffixes) of a task's stdout, and of its stderr, in memory; "
         "beyond that the first and the last halves are kept and a note is added to its stderr (0: no limit)")
        ("grace", po::value(&o.grace)->value_name("SECS")->default_value(30),
         "after a stop signal (SIGUSR1, SIGTERM, SIGINT), let running tasks go on this long before "
         "killing them; a second signal kills them at once");

    po::options_description logging("Joblog and output");
    logging.add_options()
        ("joblog", po::value(&o.joblog)->value_name("FILE"),
         "log each finished task in GNU parallel's joblog format, one line as soon as it ends")
        ("joblog-fsync", po::bool_switch(&o.joblog_fsync),
         "flush each joblog line, and the task's --output-dir files, to disk before going on, so that "
         "they survive a crash of the root's node too (not only a killed job)")
        ("resume", "skip the tasks already in the joblog")
        ("resume-failed", "skip the tasks the joblog shows succeeded; run failed and missing ones")
        ("output-dir", po::value(&o.output_dir)->value_name("DIR"),
         "write each task's stdout and stderr to DIR/<task>.out and DIR/<task>.err "
         "(default: whole blocks on stdout and stderr)")
        ("tag", po::bool_switch(&o.tag), "prefix each output line with the task number and a tab")
        ("status-interval", po::value(&o.status_interval)->value_name("SECS")->default_value(60),
         "when stderr is not a terminal, print a status line every SECS seconds (0: never)")
        ("progress", po::bool_switch(&o.progress),
         "draw the live progress line even though stderr does not look like a terminal (under mpirun "
         "and srun the ranks' stderr is a pipe, whatever the launcher's is)")
        ("help,h", "show this help");

    po::options_description all;
    all.add(input).add(running).add(logging);
    return all;
}

std::string render(po::options_description const& options) {
    std::ostringstream text;
    text << options;
    return text.str();
}

}  // namespace

TopLevelCommand parse_top_level(std::vector<std::string> const& args) {
    // The command's own options follow it (`taskfarm run --help`), so the top level only parses
    // what precedes the first word that is not an option. No top-level option takes a value, so
    // that word is the command.
    auto const command = std::find_if(args.begin(), args.end(),
                                      [](std::string const& a) { return a.empty() || a.front() != '-'; });
    TopLevelCommand result;
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(std::vector<std::string>(args.begin(), command))
                      .options(top_level_options())
                      .run(),
                  vm);
        result.help = vm.count("help") > 0;
        result.version = vm.count("version") > 0;
    } catch (po::error const& e) {
        throw UsageError(std::string(e.what()) + " (see taskfarm --help)");
    }
    if (command != args.end()) {
        result.command = *command;
        result.args.assign(command + 1, args.end());
    }
    if (!result.command.empty() && result.command != "run" && result.command != "report" && result.command != "help")
        throw UsageError("unknown command '" + result.command + "' (commands: run, report, help)");
    return result;
}

std::string top_level_help() {
    return "Usage: taskfarm [--help] [--version] COMMAND [ARGS...]\n"
           "Farm shell commands over the ranks and threads of one MPI job:\n"
           "  mpirun -n 4 taskfarm run tasks.txt      srun taskfarm run tasks.txt\n"
           "\n"
           "Commands:\n"
           "  run FILE     run each line of FILE (or each row, with --template) as a shell command\n"
           "  report TRACE print a farm call's statistics and draw its timeline (SVG)\n"
           "  help [CMD]   show the help of CMD\n"
           "\n" +
           render(top_level_options()) + "\nSee 'taskfarm COMMAND --help' and docs/CLI.md.\n";
}

RunOptions parse_run_options(std::vector<std::string> const& args) {
    RunOptions o;
    po::options_description visible = run_visible_options(o);
    po::options_description hidden;
    hidden.add_options()("input", po::value(&o.input));
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("input", 1);
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
        o.help = vm.count("help") > 0;
        if (o.help) return o;
        if (vm.count("threads")) o.threads = vm["threads"].as<int>();
        if (vm.count("part")) o.part = parse_task_part(vm["part"].as<std::string>());
        o.max_output = parse_byte_size(vm["max-output"].as<std::string>(), "--max-output");
        bool const resume = vm.count("resume") > 0;
        bool const resume_failed = vm.count("resume-failed") > 0;
        if (resume && resume_failed) throw UsageError("--resume and --resume-failed exclude each other");
        o.resume = resume ? ResumeMode::resume : resume_failed ? ResumeMode::resume_failed : ResumeMode::none;
    } catch (po::error const& e) {
        throw UsageError(std::string(e.what()) + " (see taskfarm run --help)");
    }
    if (o.input.empty())
        throw UsageError(o.command_template.empty() ? "missing the task file (taskfarm run TASKFILE)"
                                                    : "missing the parameter table (taskfarm run --template CMD TABLE)");
    if (o.threads && *o.threads < 1) throw UsageError("--threads must be at least 1");
    if (o.timeout < 0) throw UsageError("--timeout must not be negative");
    if (o.status_interval < 0) throw UsageError("--status-interval must not be negative");
    if (o.grace < 0) throw UsageError("--grace must not be negative");
    if (o.resume != ResumeMode::none && o.joblog.empty())
        throw UsageError("--resume and --resume-failed need --joblog FILE");
    if (o.header && o.command_template.empty()) throw UsageError("--header needs --template");
    return o;
}

std::string run_help() {
    RunOptions ignored;
    return "Usage: taskfarm run [OPTIONS] TASKFILE\n"
           "       taskfarm run [OPTIONS] --template 'CMD {1} {2}' TABLE\n"
           "Runs each non-empty, non-# line of TASKFILE with /bin/sh -c, in its own process group, on\n"
           "the slots of the MPI job (ranks x threads per rank), handing tasks out as slots free up.\n"
           "Tasks are numbered from 1 in file order; each sees TASKFARM_TASK and PARALLEL_SEQ.\n"
           "\n" +
           render(run_visible_options(ignored)) +
           "\n"
           "Exit status: 0 all succeeded; 1-100 that many tasks failed; 101 more than 100 failed;\n"
           "102 interrupted by a signal (rerun with --resume); 255 bad options or input.\n";
}

TaskPart parse_task_part(std::string const& text) {
    auto const bad = [&] {
        return UsageError("--part wants K/N with 1 <= K <= N (e.g. --part 2/8), not '" + text + "'");
    };
    auto const slash = text.find('/');
    if (slash == std::string::npos) throw bad();
    auto const number = [&](std::string const& field) {
        std::uint64_t value = 0;
        auto const [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
        if (field.empty() || ec != std::errc() || end != field.data() + field.size()) throw bad();
        return value;
    };
    TaskPart part;
    part.index = number(text.substr(0, slash));
    part.count = number(text.substr(slash + 1));
    if (part.index < 1 || part.index > part.count) throw bad();
    return part;
}

std::uint64_t parse_byte_size(std::string const& text, char const* option) {
    std::uint64_t value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    std::string_view const suffix(end, static_cast<std::size_t>(text.data() + text.size() - end));
    int const shift = suffix.empty() ? 0 : suffix == "K" || suffix == "k" ? 10 : suffix == "M" ? 20 : suffix == "G" ? 30 : -1;
    if (text.empty() || ec != std::errc() || end == text.data() || shift < 0 || value > (UINT64_MAX >> shift))
        throw UsageError(std::string(option) + " wants a byte count such as 1048576, 512K, 64M or 1G, not '" + text +
                         "'");
    return value << shift;
}

int resolve_threads(std::optional<int> flag, char const* slurm_cpus) {
    if (flag) return *flag;
    if (slurm_cpus == nullptr || *slurm_cpus == '\0') return 1;
    std::string_view const text(slurm_cpus);
    int value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1)
        throw UsageError("SLURM_CPUS_PER_TASK='" + std::string(text) + "' is not a positive number");
    return value;
}

}  // namespace taskfarm::cli
