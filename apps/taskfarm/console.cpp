#include "console.hpp"

#include <unistd.h>

#include <cerrno>

namespace taskfarm::cli {

bool write_fully(int fd, std::string const& text) noexcept {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t const n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

Console::Console(int out_fd, int err_fd, bool live_line) : out_fd_(out_fd), err_fd_(err_fd), live_(live_line) {}

void Console::hide_locked() {
    if (live_ && !line_.empty()) write_fully(err_fd_, "\r\033[K");
}

void Console::show_locked() {
    if (live_ && !line_.empty()) write_fully(err_fd_, line_);
}

void Console::write_locked(int fd, std::string const& text) {
    hide_locked();
    write_fully(fd, text);
    show_locked();
}

void Console::write_out(std::string const& text) {
    if (text.empty()) return;
    std::lock_guard lock(mutex_);
    write_locked(out_fd_, text);
}

void Console::write_err(std::string const& text) {
    if (text.empty()) return;
    std::lock_guard lock(mutex_);
    write_locked(err_fd_, text);
}

void Console::message(std::string const& line) {
    std::lock_guard lock(mutex_);
    write_locked(err_fd_, line + '\n');
}

void Console::set_live_line(std::string const& line) {
    if (!live_) return;
    std::lock_guard lock(mutex_);
    hide_locked();
    line_ = line;
    show_locked();
}

void Console::clear_live_line() {
    std::lock_guard lock(mutex_);
    hide_locked();
    line_.clear();
}

}  // namespace taskfarm::cli
