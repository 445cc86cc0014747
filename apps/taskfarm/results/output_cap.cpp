#include "results/output_cap.hpp"

#include <algorithm>
#include <limits>

namespace taskfarm::cli {

CappedOutput::CappedOutput(std::size_t cap)
    : head_cap_(cap == 0 ? std::numeric_limits<std::size_t>::max() : cap - cap / 2), tail_cap_(cap / 2) {}

std::uint64_t CappedOutput::dropped() const noexcept { return total_ - head_.size() - tail_filled_; }

void CappedOutput::append(char const* data, std::size_t size) {
    total_ += size;
    std::size_t const to_head = std::min(size, head_cap_ - head_.size());
    head_.append(data, to_head);
    data += to_head;
    size -= to_head;
    if (size == 0 || tail_cap_ == 0) return;
    if (tail_.empty()) tail_.resize(tail_cap_);
    if (size >= tail_cap_) {  // the chunk alone fills the ring: keep its end
        tail_.assign(data + size - tail_cap_, tail_cap_);
        tail_next_ = 0;
        tail_filled_ = tail_cap_;
        return;
    }
    std::size_t const first = std::min(size, tail_cap_ - tail_next_);
    std::copy_n(data, first, tail_.begin() + static_cast<std::ptrdiff_t>(tail_next_));
    std::copy_n(data + first, size - first, tail_.begin());
    tail_next_ = (tail_next_ + size) % tail_cap_;
    tail_filled_ = std::min(tail_cap_, tail_filled_ + size);
}

std::string CappedOutput::take() {
    std::string kept = std::move(head_);
    if (tail_filled_ < tail_cap_) {
        kept.append(tail_, 0, tail_filled_);  // never wrapped: the ring starts at 0
    } else if (tail_filled_ > 0) {
        kept.append(tail_, tail_next_, std::string::npos);
        kept.append(tail_, 0, tail_next_);
    }
    head_.clear();
    tail_.clear();
    tail_next_ = tail_filled_ = 0;
    total_ = 0;
    return kept;
}

std::string truncation_note(char const* stream, CappedOutput const& output) {
    if (output.dropped() == 0) return {};
    return std::string("taskfarm: ") + stream + " truncated by --max-output: " + std::to_string(output.total()) +
           " bytes, kept the first " + std::to_string(output.head_size()) + " and the last " +
           std::to_string(output.tail_size()) + "\n";
}

}  // namespace taskfarm::cli
