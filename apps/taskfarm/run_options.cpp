#include "run_options.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace taskfarm::cli {

namespace {

po::options_description top_level_options() {
    po::options_description options("Options");
    // clang-format off
    options.add_options()
        ("help,h", "show this help")
        ("version", "show the version");
    // clang-format on
    return options;
}

po::options_description run_visible_options(RunOptions& o) {
    po::options_description input("Tasks");
    // clang-format off
    input.add_options()
        ("template,t", po::value(&o.command_template)->value_name("CMD"),
         "one task per row of FILE (tab- or comma-separated), or per argument after ':::', with GNU "
         "parallel's replacement strings: {} the row, {1}, {2}... its fields (shell-quoted), {.} {/} {//} "
         "{/.} (and {1.} ...) without extension, basename, dirname, basename without extension, {#} the "
         "task number, {##} the number of tasks, {%} the slot, {name} the field under header column 'name'")
        ("header", po::bool_switch(&o.header),
         "the table's first row is a header (implied when the template uses {name})")
        ("csv", po::bool_switch(), "the table is comma-separated with CSV quoting (default: detected)")
        ("tsv", po::bool_switch(), "the table is tab-separated (default: detected)")
        ("colsep", po::value<std::string>()->value_name("SEP"),
         "fields are separated by the string SEP ('\\t' is a tab; not a regular expression)")
        ("dry-run", po::bool_switch(&o.dry_run), "print every command that would run, one per line, and exit");
    // clang-format on

    po::options_description running("Running");
    // clang-format off
    running.add_options()
        ("threads,j", po::value<std::string>()->value_name("N"),
         "tasks at once per rank (default: $SLURM_CPUS_PER_TASK, else 1)")
        ("timeout", po::value<std::string>()->value_name("SECS"),
         "kill a task's whole process group after SECS seconds (SIGTERM, then SIGKILL); it counts as failed")
        ("retries", po::value<std::string>()->value_name("N"), "run a failing task up to N more times")
        ("halt", po::value<std::string>()->value_name("WHEN,WHY=N"),
         "GNU parallel's --halt: soon|now,fail|success|done=N or =N%; soon starts no new task once it "
         "holds, now also kills the running ones; the exit status is GNU parallel's")
        ("halt-on-error", po::bool_switch(), "--halt soon,fail=1")
        ("delay", po::value<std::string>()->value_name("SECS"), "start tasks at least SECS seconds apart")
        ("part", po::value<std::string>()->value_name("K/N"),
         "run only the tasks whose number is K modulo N (part N: N, 2N, ...); task numbers, joblog "
         "lines and output files stay those of the whole file, so N parts (a job array) add up to it")
        ("max-output", po::value<std::string>()->value_name("BYTES")->default_value("64M"),
         "keep at most BYTES (K, M, G suffixes) of a task's stdout, and of its stderr, in memory; "
         "beyond that the first and the last halves are kept and a note is added to its stderr (0: no limit)")
        ("grace", po::value<std::string>()->value_name("SECS")->default_value("30"),
         "after a stop signal (SIGUSR1, SIGTERM, SIGINT), let running tasks go on this long before "
         "killing them; a second signal kills them at once");
    // clang-format on

    po::options_description logging("Joblog and output");
    // clang-format off
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
        ("keep-order,k", po::bool_switch(&o.keep_order),
         "print tasks' output in task order rather than as they end (held on the root until then)")
        ("status-interval", po::value<std::string>()->value_name("SECS")->default_value("60"),
         "when stderr is not a terminal, print a status line every SECS seconds (0: never)")
        ("progress", po::bool_switch(&o.progress),
         "draw the live progress line even though stderr does not look like a terminal (under mpirun "
         "and srun the ranks' stderr is a pipe, whatever the launcher's is)")
        ("help,h", "show this help");
    // clang-format on

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
        po::store(
            po::command_line_parser(std::vector<std::string>(args.begin(), command)).options(top_level_options()).run(),
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

namespace {

/// GNU parallel's `::: a b ::: c d`: everything from the first `:::` on is argument lists, cut
/// off before the options library sees it (a `:::` word is no option's value).
std::vector<std::string> split_argument_lists(std::vector<std::string> const& args,
                                              std::vector<std::vector<std::string>>& lists) {
    auto const first = std::find(args.begin(), args.end(), ":::");
    for (auto it = first; it != args.end(); ++it) {
        if (*it == ":::") lists.emplace_back();
        else lists.back().push_back(*it);
    }
    return {args.begin(), first};
}

/// The options library's style without `allow_guessing`: `--halt` must never be taken for
/// `--halt-on-error`, nor `--time` for `--timeout`.
int const exact_style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

}  // namespace

RunOptions parse_run_options(std::vector<std::string> const& all_args) {
    RunOptions o;
    std::vector<std::string> const args = split_argument_lists(all_args, o.arguments);
    po::options_description visible = run_visible_options(o);
    po::options_description hidden;
    // clang-format off
    hidden.add_options()("input", po::value(&o.input));
    // clang-format on
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("input", 1);
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(args).options(all).positional(positional).style(exact_style).run(), vm);
        po::notify(vm);
        o.help = vm.count("help") > 0;
        if (o.help) return o;
        auto const text = [&](char const* name) { return vm[name].as<std::string>(); };
        if (vm.count("threads")) o.threads = static_cast<int>(parse_count(text("threads"), "--threads", 1, 1u << 20));
        if (vm.count("timeout")) o.timeout = parse_seconds(text("timeout"), "--timeout");
        if (vm.count("retries"))
            o.retries = static_cast<unsigned>(parse_count(text("retries"), "--retries", 0, 1000000));
        if (vm.count("delay")) o.delay = parse_seconds(text("delay"), "--delay");
        o.grace = parse_seconds(text("grace"), "--grace");
        o.status_interval = parse_seconds(text("status-interval"), "--status-interval");
        if (vm.count("part")) o.part = parse_task_part(text("part"));
        o.max_output = parse_byte_size(text("max-output"), "--max-output");
        bool const halt_on_error = vm["halt-on-error"].as<bool>();
        if (vm.count("halt") && halt_on_error) throw UsageError("--halt and --halt-on-error exclude each other");
        if (vm.count("halt")) o.halt = parse_halt(text("halt"));
        if (halt_on_error) o.halt = parse_halt("soon,fail=1");
        int const formats = (vm["csv"].as<bool>() ? 1 : 0) + (vm["tsv"].as<bool>() ? 1 : 0) +
                            (vm.count("colsep") ? 1 : 0);
        if (formats > 1) throw UsageError("--csv, --tsv and --colsep exclude each other");
        if (vm["csv"].as<bool>()) o.table_format.kind = TableFormat::Kind::csv;
        if (vm["tsv"].as<bool>()) o.table_format.kind = TableFormat::Kind::tsv;
        if (vm.count("colsep")) {
            std::string sep = text("colsep");
            if (sep == "\\t") sep = "\t";
            if (sep.empty()) throw UsageError("--colsep wants a separator, not an empty string");
            if (sep == "\t") o.table_format.kind = TableFormat::Kind::tsv;
            else if (sep == ",") o.table_format.kind = TableFormat::Kind::csv;
            else o.table_format = TableFormat{TableFormat::Kind::separator, sep};
        }
        bool const resume = vm.count("resume") > 0;
        bool const resume_failed = vm.count("resume-failed") > 0;
        if (resume && resume_failed) throw UsageError("--resume and --resume-failed exclude each other");
        o.resume = resume ? ResumeMode::resume : resume_failed ? ResumeMode::resume_failed : ResumeMode::none;
    } catch (po::error const& e) {
        throw UsageError(std::string(e.what()) + " (see taskfarm run --help)");
    }
    if (!o.arguments.empty()) {
        if (o.command_template.empty()) throw UsageError("::: argument lists need --template CMD");
        if (!o.input.empty()) throw UsageError("give a table or ::: argument lists, not both ('" + o.input + "')");
        for (auto const& list : o.arguments)
            if (list.empty()) throw UsageError("an empty ::: argument list (nothing after ':::')");
        if (o.header) throw UsageError("--header needs a table, not ::: lists");
    } else if (o.input.empty()) {
        throw UsageError(o.command_template.empty()
                             ? "missing the task file (taskfarm run TASKFILE)"
                             : "missing the parameter table (taskfarm run --template CMD TABLE)");
    }
    if (o.resume != ResumeMode::none && o.joblog.empty())
        throw UsageError("--resume and --resume-failed need --joblog FILE");
    if (o.header && o.command_template.empty()) throw UsageError("--header needs --template");
    if (o.table_format.kind != TableFormat::Kind::detect && o.command_template.empty())
        throw UsageError("--csv, --tsv and --colsep need --template (a task file has no fields)");
    if (o.keep_order && !o.output_dir.empty())
        throw UsageError("--keep-order orders stdout; with --output-dir each task has its own files");
    return o;
}

double parse_seconds(std::string const& text, char const* option) {
    auto const bad = [&](char const* why) {
        return UsageError(std::string(option) + " wants seconds (e.g. 30 or 0.5), not '" + text + "'" + why);
    };
    if (text.empty()) throw bad("");
    char* end = nullptr;
    errno = 0;
    double const value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) throw bad("");
    if (std::isnan(value)) throw bad(": not a number");
    if (errno == ERANGE || std::isinf(value) || value > 366.0 * 86400) throw bad(": more than a year");
    if (value < 0) throw bad(": negative");
    return value;
}

std::uint64_t parse_count(std::string const& text, char const* option, std::uint64_t low, std::uint64_t high) {
    std::uint64_t value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < low || value > high)
        throw UsageError(std::string(option) + " wants a whole number from " + std::to_string(low) + " to " +
                         std::to_string(high) + ", not '" + text + "'");
    return value;
}

std::string run_help() {
    RunOptions ignored;
    return "Usage: taskfarm run [OPTIONS] TASKFILE\n"
           "       taskfarm run [OPTIONS] --template 'CMD {1} {2}' TABLE\n"
           "       taskfarm run [OPTIONS] --template 'CMD {}' ::: ARG... [::: ARG...]\n"
           "Runs each non-empty, non-# line of TASKFILE with /bin/sh -c, in its own process group, on\n"
           "the slots of the MPI job (ranks x threads per rank), handing tasks out as slots free up.\n"
           "Tasks are numbered by line, as GNU parallel numbers jobs (comment and blank lines count);\n"
           "each sees TASKFARM_TASK and PARALLEL_SEQ, and its slot in PARALLEL_JOBSLOT.\n"
           "\n" +
           render(run_visible_options(ignored)) +
           "\n"
           "Exit status: 0 all succeeded; 1-100 that many tasks failed; 101 more than 100 failed;\n"
           "102 interrupted by a signal (rerun with --resume); 255 bad options or input;\n"
           "with --halt, GNU parallel's status (e.g. the failed task's own for fail=1).\n";
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
    int const shift = suffix.empty()                   ? 0
                      : suffix == "K" || suffix == "k" ? 10
                      : suffix == "M"                  ? 20
                      : suffix == "G"                  ? 30
                                                       : -1;
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
