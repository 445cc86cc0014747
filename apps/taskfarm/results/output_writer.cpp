#include "results/output_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "input_error.hpp"
#include "results/durable_file.hpp"

namespace taskfarm::cli {

std::string tag_lines(std::string const& text, std::string const& tag) {
    std::string tagged;
    tagged.reserve(text.size() + (tag.size() + 1) * 8);
    bool at_line_start = true;
    for (char const c : text) {
        if (at_line_start) {
            tagged += tag;
            tagged += '\t';
        }
        tagged += c;
        at_line_start = c == '\n';
    }
    if (!at_line_start) tagged += '\n';
    return tagged;
}

OutputWriter::OutputWriter(Console& console, std::string output_dir, bool tag, bool sync)
    : console_(console), dir_(std::move(output_dir)), tag_(tag), sync_(sync) {
    if (dir_.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec || !std::filesystem::is_directory(dir_))
        throw InputError(
            dir_ + ": cannot create the output directory: " + (ec ? ec.message() : std::string("not a directory")));
}

std::string OutputWriter::path_of(std::uint64_t number, char const* suffix) const {
    if (dir_.empty()) return {};
    return (std::filesystem::path(dir_) / (std::to_string(number) + suffix)).string();
}

namespace {

void write_file(std::string const& path, std::string const& text, bool sync) {
    int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot create " + path);
    bool const ok = write_fully(fd, text) && (!sync || ::fdatasync(fd) == 0);
    int const saved = errno;
    ::close(fd);
    if (!ok) throw std::system_error(saved, std::generic_category(), "cannot write " + path);
}

}  // namespace

void OutputWriter::keep_order(std::vector<std::uint64_t> order) {
    order_ = std::move(order);
    next_ = 0;
    ordered_ = dir_.empty();  // files need no order
}

void OutputWriter::skip(std::uint64_t number) {
    if (!ordered_) return;
    skipped_.insert(number);
    release_ready();
}

void OutputWriter::release_ready() {
    while (next_ < order_.size()) {
        std::uint64_t const number = order_[next_];
        if (auto const it = held_.find(number); it != held_.end()) {
            write_now(number, it->second.first, it->second.second);
            held_.erase(it);
        } else if (skipped_.erase(number) == 0) {
            return;
        }
        ++next_;
    }
}

void OutputWriter::flush_held() {
    for (auto const& [number, text] : held_) write_now(number, text.first, text.second);
    held_.clear();
    next_ = order_.size();
}

void OutputWriter::write(std::uint64_t number, std::string const& out, std::string const& err) {
    if (ordered_) {
        held_[number] = {out, err};
        release_ready();
        return;
    }
    write_now(number, out, err);
}

void OutputWriter::write_now(std::uint64_t number, std::string const& out, std::string const& err) {
    if (!dir_.empty()) {
        write_file(path_of(number, ".out"), out, sync_);
        write_file(path_of(number, ".err"), err, sync_);
        if (sync_) sync_directory_of(path_of(number, ".out"));  // their names too
        return;
    }
    if (tag_) {
        std::string const tag = std::to_string(number);
        if (!out.empty()) console_.write_out(tag_lines(out, tag));
        if (!err.empty()) console_.write_err(tag_lines(err, tag));
    } else {
        console_.write_out(out);
        console_.write_err(err);
    }
}

}  // namespace taskfarm::cli
