/// @file
/// @brief Where each task's captured stdout and stderr go: files in --output-dir, or whole blocks
/// on the root's stdout and stderr (optionally every line tagged with the task number).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "console.hpp"

namespace taskfarm::cli {

/// `text` with `tag` and a tab before each line; a last line without newline gets one, so the next
/// block's tag starts a line.
[[nodiscard]] std::string tag_lines(std::string const& text, std::string const& tag);

class OutputWriter {
public:
    /// `output_dir` empty: write to `console`. Otherwise the directory is created if needed.
    /// With `sync` (--joblog-fsync), each task's files are on disk before write() returns (and
    /// so before its joblog line is written).
    /// @throws InputError when the directory cannot be created.
    OutputWriter(Console& console, std::string output_dir, bool tag, bool sync = false);

    /// Writes one task's output: DIR/<number>.out and DIR/<number>.err (both always created, so
    /// an empty file means "printed nothing"), or the blocks on the console.
    /// @throws std::system_error when a file cannot be written.
    void write(std::uint64_t number, std::string const& out, std::string const& err);

    /// The path of a task's output file, for messages ("" without --output-dir).
    [[nodiscard]] std::string path_of(std::uint64_t number, char const* suffix) const;

    /// --keep-order: from now on, the console gets tasks' output in `order` (the task numbers),
    /// each task's held until every earlier one was written or skipped.
    void keep_order(std::vector<std::uint64_t> order);
    /// A task that writes nothing (it did not run): later tasks need not wait for it.
    void skip(std::uint64_t number);
    /// Writes whatever is still held, in order (at the end of a run cut short).
    void flush_held();

private:
    void write_now(std::uint64_t number, std::string const& out, std::string const& err);
    void release_ready();
    std::vector<std::uint64_t> order_;
    std::size_t next_ = 0;
    bool ordered_ = false;
    std::map<std::uint64_t, std::pair<std::string, std::string>> held_;
    std::set<std::uint64_t> skipped_;

    Console& console_;
    std::string dir_;
    bool tag_;
    bool sync_;
};

}  // namespace taskfarm::cli
