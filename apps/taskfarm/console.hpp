/// @file
/// @brief The root's stdout and stderr, shared by task output, progress and messages. One mutex
/// keeps every block whole, and on a terminal the live progress line is cleared before a block
/// and drawn again after it, so it never ends up inside a task's output.
#pragma once

#include <mutex>
#include <string>

namespace taskfarm::cli {

class Console {
public:
    /// `live_line`: stderr is a terminal, so a progress line can be redrawn in place.
    Console(int out_fd, int err_fd, bool live_line);

    /// Writes `text` whole to stdout (or stderr).
    void write_out(std::string const& text);
    void write_err(std::string const& text);
    /// A message line on stderr ("taskfarm: " is not added).
    void message(std::string const& line);
    /// Replaces the live line (terminal only; ignored otherwise).
    void set_live_line(std::string const& line);
    /// Removes the live line for good (before the summary).
    void clear_live_line();

    [[nodiscard]] bool live() const noexcept { return live_; }

private:
    void write_locked(int fd, std::string const& text);
    void hide_locked();
    void show_locked();

    std::mutex mutex_;
    int out_fd_;
    int err_fd_;
    bool live_;
    std::string line_;
};

/// Writes all of `text` to `fd`, retrying short writes and EINTR. Returns false on an error.
/// The command's one write-all helper (console, output files). The library has a twin private to
/// its progress bar (src/trace/progress.cpp, best effort, no result) and a pwrite one for the
/// journal (src/journal/posix_file.hpp, throws): neither is exported, so this one stays here.
bool write_fully(int fd, std::string const& text) noexcept;

}  // namespace taskfarm::cli
