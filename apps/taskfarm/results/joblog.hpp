/// @file
/// @brief GNU parallel's joblog: one tab-separated line per finished task, under the header
/// `Seq Host Starttime JobRuntime Send Receive Exitval Signal Command`. Starttime is epoch seconds
/// with 3 decimals, JobRuntime seconds with 3 decimals (padded to 10 characters, as GNU parallel
/// writes it). Readers of GNU parallel joblogs read ours and the other way round.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace taskfarm::cli {

inline constexpr char const* joblog_header =
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand";

struct JoblogEntry {
    std::uint64_t seq = 0;
    std::string host;
    double start_time = 0;
    double runtime = 0;
    std::uint64_t send = 0;     ///< bytes sent to the task's host (GNU parallel --transfer): always 0 here
    std::uint64_t receive = 0;  ///< bytes returned from it (--return): always 0 here
    int exit_value = 0;         ///< -1 for a task killed by --timeout
    int signal = 0;
    std::string command;

    /// What GNU parallel's --resume-failed reruns.
    [[nodiscard]] bool failed() const noexcept { return exit_value != 0 || signal != 0; }
};

/// The entry's line, with its newline.
[[nodiscard]] std::string format_joblog_line(JoblogEntry const& entry);

/// Parses one line (without its newline).
/// @throws InputError "name:line: ..." when it has fewer than 9 fields or a number is malformed.
[[nodiscard]] JoblogEntry parse_joblog_line(std::string const& line, std::string const& name, std::size_t line_number);

/// What an earlier run logged: the last entry of each Seq (a task rerun by --resume-failed has
/// several lines; the last one counts).
struct JoblogHistory {
    std::map<std::uint64_t, JoblogEntry> last;
    std::vector<std::string> warnings;  ///< e.g. a torn last line from a run that was killed
};

/// Reads a joblog; a file that does not exist is an empty history. A last line without its
/// newline (the run was killed while writing it) is ignored with a warning.
/// @throws InputError when the file cannot be read or a complete line is malformed.
[[nodiscard]] JoblogHistory read_joblog(std::string const& path);

enum class ResumeMode { none, resume, resume_failed };

/// Whether task `seq` is done already and must not run again: under --resume, any task in the
/// history; under --resume-failed, the tasks whose last entry succeeded.
[[nodiscard]] bool already_done(JoblogHistory const& history, std::uint64_t seq, ResumeMode mode);

/// Appends entries to a joblog, one write(2) per line and no user-space buffer, so a line is in
/// the file (the kernel's page cache) as soon as write returns: killing the whole job (even
/// kill -9) loses no logged task. A crash of the node itself (kernel panic, power loss) can lose
/// the lines the kernel had not written back yet -- seconds' worth; those tasks run again on
/// --resume. With `sync` (--joblog-fsync) each line is on disk (or, on a network file system,
/// on the server) when write() returns, so a crash loses no logged task either.
class JoblogWriter {
public:
    /// Opens `path`; truncates it unless `append` (--resume, --resume-failed). Writes the header
    /// when the file is empty, and cuts off a torn last line that a killed run left.
    /// @throws InputError when the file cannot be opened.
    JoblogWriter(std::string const& path, bool append, bool sync = false);
    ~JoblogWriter();
    JoblogWriter(JoblogWriter const&) = delete;
    JoblogWriter& operator=(JoblogWriter const&) = delete;

    /// @throws std::system_error when the write (or, with `sync`, the flush) fails (disk full, ...).
    void write(JoblogEntry const& entry);

private:
    void write_all(std::string const& text);
    void flush_to_disk();  ///< with sync_: fdatasync
    std::string path_;
    int fd_ = -1;
    bool sync_ = false;
};

}  // namespace taskfarm::cli
