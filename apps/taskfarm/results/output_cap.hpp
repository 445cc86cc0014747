/// @file
/// @brief Bounded capture of one output stream (--max-output): a task that prints gigabytes must
/// not exhaust its rank's or the root's memory. Beyond the cap the first half and the last half
/// are kept (where a program says what it is doing and how it ended); the middle is dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace taskfarm::cli {

class CappedOutput {
public:
    /// `cap`: the most bytes kept (0: no cap, everything is kept).
    explicit CappedOutput(std::size_t cap = 0);

    void append(char const* data, std::size_t size);

    /// Bytes appended in all.
    [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
    /// Bytes appended but not kept (0 while the cap was never reached).
    [[nodiscard]] std::uint64_t dropped() const noexcept;
    [[nodiscard]] std::size_t head_size() const noexcept { return head_.size(); }
    [[nodiscard]] std::size_t tail_size() const noexcept { return tail_filled_; }

    /// What was kept: the head followed by the tail, in stream order. Leaves this empty.
    [[nodiscard]] std::string take();

private:
    std::size_t head_cap_;
    std::size_t tail_cap_;
    std::string head_;
    std::string tail_;             ///< ring buffer of tail_cap_ bytes, allocated when first needed
    std::size_t tail_next_ = 0;    ///< where the next tail byte goes
    std::size_t tail_filled_ = 0;  ///< valid bytes in the ring
    std::uint64_t total_ = 0;
};

/// The note appended to a task's stderr when `stream` ("stdout", "stderr") was cut, e.g.
/// "taskfarm: stdout truncated by --max-output: 104857600 bytes, kept the first 33554432 and the
/// last 33554432". Empty when nothing was dropped.
[[nodiscard]] std::string truncation_note(char const* stream, CappedOutput const& output);

}  // namespace taskfarm::cli
