#include "results/joblog.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "console.hpp"
#include "input_error.hpp"
#include "results/durable_file.hpp"
#include "tasks/task_file.hpp"

namespace taskfarm::cli {

std::string format_joblog_line(JoblogEntry const& e) {
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, "%.3f\t%10.3f", e.start_time, e.runtime);
    return std::to_string(e.seq) + '\t' + e.host + '\t' + numbers + '\t' + std::to_string(e.send) + '\t' +
           std::to_string(e.receive) + '\t' + std::to_string(e.exit_value) + '\t' + std::to_string(e.signal) + '\t' +
           e.command + '\n';
}

namespace {

template <class T>
T parse_number(std::string const& field, char const* column, std::string const& name, std::size_t line_number) {
    std::string const text = trim_blanks(field);
    T value{};
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw InputError(
            located(name, line_number, std::string("joblog column ") + column + " is not a number: '" + field + "'"));
    return value;
}

}  // namespace

JoblogEntry parse_joblog_line(std::string const& line, std::string const& name, std::size_t line_number) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (fields.size() < 8) {  // the command is the rest of the line, tabs included
        auto const tab = line.find('\t', start);
        if (tab == std::string::npos)
            throw InputError(located(name, line_number, "not a joblog line (expected 9 tab-separated columns)"));
        fields.push_back(line.substr(start, tab - start));
        start = tab + 1;
    }
    JoblogEntry e;
    e.seq = parse_number<std::uint64_t>(fields[0], "Seq", name, line_number);
    e.host = fields[1];
    e.start_time = parse_number<double>(fields[2], "Starttime", name, line_number);
    e.runtime = parse_number<double>(fields[3], "JobRuntime", name, line_number);
    e.send = parse_number<std::uint64_t>(fields[4], "Send", name, line_number);
    e.receive = parse_number<std::uint64_t>(fields[5], "Receive", name, line_number);
    e.exit_value = parse_number<int>(fields[6], "Exitval", name, line_number);
    e.signal = parse_number<int>(fields[7], "Signal", name, line_number);
    e.command = line.substr(start);
    return e;
}

JoblogHistory read_joblog(std::string const& path) {
    JoblogHistory history;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return history;  // a first run: nothing done yet
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw InputError(path + ": cannot open joblog: " + std::strerror(errno));
    }
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (in.eof()) {  // no newline after it: the writer was killed mid-line
            history.warnings.push_back(located(path, number, "ignoring an incomplete last line (the run was killed)"));
            break;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.rfind("Seq\t", 0) == 0) continue;
        JoblogEntry entry = parse_joblog_line(line, path, number);
        history.last[entry.seq] = std::move(entry);
    }
    if (in.bad()) throw InputError(path + ": read error after line " + std::to_string(number));
    return history;
}

namespace {

/// The length of `fd`'s content up to and including its last newline.
off_t end_of_last_line(int fd, off_t size) {
    char block[4096];
    off_t end = size;
    while (end > 0) {
        off_t const begin = end > static_cast<off_t>(sizeof block) ? end - static_cast<off_t>(sizeof block) : 0;
        ssize_t const n = ::pread(fd, block, static_cast<std::size_t>(end - begin), begin);
        if (n <= 0) return size;  // unreadable (write-only file?): leave it as it is
        for (ssize_t i = n - 1; i >= 0; --i)
            if (block[i] == '\n') return begin + i + 1;
        end = begin;
    }
    return 0;
}

}  // namespace

bool already_done(JoblogHistory const& history, std::uint64_t seq, ResumeMode mode) {
    if (mode == ResumeMode::none) return false;
    auto const it = history.last.find(seq);
    if (it == history.last.end()) return false;
    return mode == ResumeMode::resume || !it->second.failed();
}

JoblogWriter::JoblogWriter(std::string const& path, bool append, bool sync) : path_(path), sync_(sync) {
    int const flags = O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | (append ? 0 : O_TRUNC);
    fd_ = ::open(path.c_str(), flags, 0644);
    if (fd_ < 0) throw InputError(path + ": cannot open joblog for writing: " + std::strerror(errno));
    struct stat st {};
    if (sync_) sync_directory_of(path_);  // the file's name must survive a crash as well as its lines
    if (::fstat(fd_, &st) == 0 && st.st_size == 0) {
        write_all(std::string(joblog_header) + '\n');
        flush_to_disk();
        return;
    }
    // A run killed while writing may have left a torn last line: cut it off (that task is not
    // logged, so this run does it again).
    off_t const keep = end_of_last_line(fd_, st.st_size);
    if (keep < st.st_size && ::ftruncate(fd_, keep) != 0)
        throw InputError(path + ": cannot cut the incomplete last line: " + std::strerror(errno));
    if (keep == 0) write_all(std::string(joblog_header) + '\n');
    flush_to_disk();
}

JoblogWriter::~JoblogWriter() {
    if (fd_ >= 0) ::close(fd_);
}

void JoblogWriter::write(JoblogEntry const& entry) {
    write_all(format_joblog_line(entry));
    flush_to_disk();
}

void JoblogWriter::flush_to_disk() {
    if (sync_) sync_file(fd_, path_);
}

void JoblogWriter::write_all(std::string const& text) {
    if (!write_fully(fd_, text))  // errno is write's
        throw std::system_error(errno, std::generic_category(), "writing the joblog " + path_);
}

}  // namespace taskfarm::cli
