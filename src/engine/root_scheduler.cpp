#include "engine/root_scheduler.hpp"

#include <numeric>
#include <utility>

#include "engine/interrupt.hpp"

namespace taskfarm::detail {

namespace {
RootScheduler::Clock::duration seconds(double s) {
    return std::chrono::duration_cast<RootScheduler::Clock::duration>(std::chrono::duration<double>(s));
}

std::string shown_seconds(double value) {
    std::string text = std::to_string(value);
    while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) text.pop_back();
    return text;
}
}  // namespace

RootScheduler::RootScheduler(Options const& options, std::vector<int> rank_threads, std::uint64_t tasks,
                             Clock::time_point now, bool group_blocks)
    : options_(options),
      group_blocks_(group_blocks),
      threads_(std::move(rank_threads)),
      ranges_(tasks),
      ledger_(tasks, options.retries),
      policy_(options.chunk_size, options.chunk_seconds, std::accumulate(threads_.begin(), threads_.end(), 0)),
      outstanding_(threads_.size(), 0),
      joined_(threads_.size(), 0),
      missing_(size() - 1),
      join_deadline_(now + seconds(options.join_timeout_seconds)) {
    joined_[static_cast<std::size_t>(root())] = 1;
}

std::vector<int> RootScheduler::first_round() const {
    std::vector<int> order;
    int const rounds = group_blocks_ ? kGroupBlocksPerPrefetch * options_.prefetch : options_.prefetch;
    for (int round = 0; round < rounds; ++round)
        for (int w = 0; w < size(); ++w)
            for (int t = 0; w != root() && t < (group_blocks_ ? 1 : threads_of(w)); ++t) order.push_back(w);
    return order;
}

void RootScheduler::joined(int rank) {
    auto& state = joined_[static_cast<std::size_t>(rank)];
    if (state != 0) return;
    state = 1;
    --missing_;
}

void RootScheduler::left(int rank, std::string const& call_kind) {
    fail(std::make_exception_ptr(UsageError("taskfarm: rank " + std::to_string(name_of(rank)) +
                                            " gave up waiting for the root to join this " + call_kind +
                                            " call (Options.join_timeout_seconds): farm calls are collective")));
    if (joined_[static_cast<std::size_t>(rank)] == 0) --missing_;
    write_off(rank);
}

bool RootScheduler::give_up_if_overdue(Clock::time_point now, std::string const& call_kind) {
    if (missing_ == 0 || options_.join_timeout_seconds <= 0 || now < join_deadline_) return false;
    // What they were sent stays pending (in the journal too); nothing is waited for from them.
    std::string ranks;
    for (int w = 0; w < size(); ++w) {
        if (joined_[static_cast<std::size_t>(w)] != 0) continue;
        ranks += (ranks.empty() ? "" : ", ") + std::to_string(name_of(w));
        write_off(w);
    }
    missing_ = 0;
    fail(std::make_exception_ptr(
        UsageError("taskfarm: rank" + std::string(ranks.find(',') == std::string::npos ? " " : "s ") + ranks +
                   " did not join this " + call_kind + " call within " + shown_seconds(options_.join_timeout_seconds) +
                   " s (Options.join_timeout_seconds): farm calls are collective, so every rank must make the same "
                   "farm calls in the same order")));
    return true;
}

void RootScheduler::write_off(int rank) {
    written_off_ = true;
    auto& outstanding = outstanding_[static_cast<std::size_t>(rank)];
    in_flight_ -= outstanding;
    outstanding = 0;
    joined_[static_cast<std::size_t>(rank)] = kGone;
}

std::optional<TaskRange> RootScheduler::next_block(int rank, int slots) {
    if (auto const retry = ledger_.take_retry(rank, one_computing_rank())) return TaskRange{*retry, 1};
    // A fixed chunk_size is per thread: a group's block holds that many for each of its threads.
    if (options_.chunk_size > 0) return ranges_.take(options_.chunk_size * static_cast<std::uint64_t>(slots));
    return ranges_.take(policy_.next_size(slots, ranges_.remaining()));
}

std::optional<TaskRange> RootScheduler::next_for(int rank) {
    if (stopping() || gone(rank)) return std::nullopt;
    return next_block(rank, slots_of(rank));
}

void RootScheduler::sent(int rank) {
    ++outstanding_[static_cast<std::size_t>(rank)];
    ++in_flight_;
}

void RootScheduler::answered(int rank) {
    if (gone(rank)) return;
    --outstanding_[static_cast<std::size_t>(rank)];
    --in_flight_;
}

bool RootScheduler::can_compute() const { return !stopping() && root_computes() && has_work_for(root()); }

std::optional<TaskRange> RootScheduler::next_local() {
    if (!can_compute()) return std::nullopt;
    return next_block(root(), 1);  // a block runs on one thread
}

std::vector<int> RootScheduler::ranks_for_retries() const {
    std::vector<int> ranks;
    if (!ledger_.has_retries() || stopping()) return ranks;
    for (int w = 0; w < size(); ++w)
        if (w != root() && !gone(w) && outstanding_[static_cast<std::size_t>(w)] < blocks_ahead(w) &&
            ledger_.has_retry_for(w, one_computing_rank()))
            ranks.push_back(w);
    return ranks;
}

void RootScheduler::accepted(std::uint64_t first, std::uint64_t count, std::span<std::uint64_t const> skip,
                             std::vector<TaskFailure> const& failures) {
    ledger_.mark_done(first, count, skip);
    for (auto const& f : failures)
        ledger_.record_failure(f, level_of_ && f.rank >= 0 ? (*level_of_)[static_cast<std::size_t>(f.rank)] : f.rank);
}

void RootScheduler::fail(std::exception_ptr error) {
    if (!error_) error_ = std::move(error);
}

bool RootScheduler::interrupt(int signal, Clock::time_point now) {
    if (signal_ != 0) return false;
    signal_ = signal;
    grace_deadline_ = now + seconds(options_.interrupt_grace_seconds);
    return true;
}

bool RootScheduler::stopping() const {
    return error_ != nullptr || signal_ != 0 || (options_.on_error == OnError::stop && !ledger_.failed().empty());
}

bool RootScheduler::finished(Clock::time_point now, bool local_idle) const {
    if (signal_ != 0 && now >= grace_deadline_) return true;
    return !can_compute() && in_flight_ == 0 && local_idle && missing_ == 0;
}

CallOutcome RootScheduler::outcome(bool resumable) const {
    if (error_) return outcome_of_error(error_, root());
    if (signal_ != 0) {
        std::string text = "interrupted by " + signal_name(signal_) + ": " + std::to_string(ledger_.done()) + " of " +
                           std::to_string(ledger_.tasks()) + " tasks done; ";
        text += resumable ? "run again with the same journal to resume"
                          : "no journal was set (Options::journal), so running again starts over";
        return outcome_of_interrupt(signal_, ledger_.done(), ledger_.tasks(), std::move(text));
    }
    return outcome_of_failures(ledger_.failed());
}

}  // namespace taskfarm::detail
