/// @file
/// @brief Farm::imap: results in input order as a range, computed window by window.
///
/// Why windows: only the root's main thread may drive a call (MPI_THREAD_FUNNELED), and while the
/// user's loop body runs it is not driving one. So imap runs the inputs as a sequence of farm
/// calls of `window` tasks each; the loop gets a window's results when that window is done, and
/// the root never holds more than one window of results. Before each window the root broadcasts
/// its first task and size (size 0: the stream is over), so the other ranks, which serve inside
/// Farm::imap, know what to run and when to return.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

#include <taskfarm/errors.hpp>

namespace taskfarm {

/// @brief The range Farm::imap returns. An input range: `*it` is the current result (a reference
/// valid until the next increment); incrementing past a window's last result runs the next window.
template <class FnStore, class InputsStore>
class OrderedStream {
    using Fn = std::remove_reference_t<FnStore>;
    using Inputs = std::remove_cvref_t<InputsStore>;
    using Window = detail::WindowInputs<Inputs>;
    using WindowFn = detail::WindowFn<Fn, Inputs>;

public:
    using value_type = detail::result_of_t<Fn, Inputs>;
    static constexpr std::size_t default_window = 1024;

    template <class F, class I>
    OrderedStream(Farm& farm, F&& fn, I&& inputs, CallOptions const& call)
        : farm_(farm), fn_(std::forward<F>(fn)), inputs_(std::forward<I>(inputs)), call_(call) {
        window_ = call.window.value_or(default_window);
        if (window_ == 0) throw UsageError("taskfarm: CallOptions.window must be at least 1");
        if (farm_.is_root()) {
            total_ = detail::InputTraits<Inputs>::size(inputs_);
            if (!farm_.options().journal.empty()) {
                send_header(0, 0, kRefused);
                throw_refused();
            }
        } else {
            serve();
        }
    }
    OrderedStream(OrderedStream const&) = delete;
    OrderedStream& operator=(OrderedStream const&) = delete;
    /// Root: a stream left early (break, an exception in the loop) still releases the other ranks.
    ~OrderedStream() {
        if (!finished_) {
            try {
                send_header(0, 0, 0);
            } catch (...) {  // a destructor must not throw; a broken communicator ends the job anyway
            }
        }
    }

    class iterator {
    public:
        using value_type = OrderedStream::value_type;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        explicit iterator(OrderedStream* stream) : stream_(stream) {}
        value_type& operator*() const { return stream_->results_[stream_->position_]; }
        value_type* operator->() const { return &**this; }
        iterator& operator++() {
            stream_->advance();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(iterator const& it, std::default_sentinel_t) { return it.stream_->at_end(); }

    private:
        OrderedStream* stream_ = nullptr;
    };

    /// Root: runs the first window (once); other ranks: an empty range.
    iterator begin() {
        if (!started_) {
            started_ = true;
            if (farm_.is_root()) next_window();
        }
        return iterator(this);
    }
    std::default_sentinel_t end() const noexcept { return {}; }
    /// Whether every result has been yielded (true on the ranks other than the root).
    [[nodiscard]] bool at_end() const noexcept { return position_ >= results_.size(); }

private:
    static constexpr std::uint64_t kRefused = 1;

    [[noreturn]] static void throw_refused() {
        throw UsageError(
            "taskfarm: imap does not take a journal (each window would be a farm call of its own); "
            "use map or for_each with Options::journal");
    }

    void send_header(std::uint64_t first, std::uint64_t count, std::uint64_t flags) {
        std::uint64_t const words[3] = {first, count, flags};
        detail::Bytes bytes(sizeof words);
        std::memcpy(bytes.data(), words, sizeof words);
        finished_ = count == 0;
        farm_.broadcast_bytes(bytes);
    }

    void run_window(std::uint64_t first, std::uint64_t count) {
        try {
            WindowFn fn{fn_, first};
            results_ = farm_.map(fn, Window{&inputs_, first, count}, call_);
        } catch (...) {
            finished_ = true;  // every rank left the stream with the same exception
            throw;
        }
    }

    void next_window() {
        results_ = {};  // free the last window before the next one is made
        position_ = 0;
        if (next_ >= total_) {
            if (!finished_) send_header(0, 0, 0);
            return;
        }
        std::uint64_t const count = std::min<std::uint64_t>(window_, total_ - next_);
        send_header(next_, count, 0);
        run_window(next_, count);
        next_ += count;
    }

    void advance() {
        if (++position_ == results_.size()) next_window();
    }

    // The other ranks: run each window the root announces, until it announces none.
    void serve() {
        for (;;) {
            detail::Bytes bytes;
            farm_.broadcast_bytes(bytes);
            std::uint64_t words[3] = {0, 0, 0};
            if (bytes.size() != sizeof words) detail::throw_block_size_mismatch(bytes.size(), sizeof words);
            std::memcpy(words, bytes.data(), sizeof words);
            if (words[2] & kRefused) {
                finished_ = true;
                throw_refused();
            }
            if (words[1] == 0) break;
            run_window(words[0], words[1]);
        }
        finished_ = true;
        started_ = true;
    }

    Farm& farm_;
    FnStore fn_;
    InputsStore inputs_;
    CallOptions call_;
    std::size_t window_ = default_window;
    std::uint64_t total_ = 0;
    std::uint64_t next_ = 0;
    std::vector<value_type> results_;
    std::size_t position_ = 0;
    bool started_ = false;
    bool finished_ = false;
};

template <class Fn, class Inputs>
auto Farm::imap(Fn&& fn, Inputs&& inputs, CallOptions const& call) {
    // Lvalues are kept by reference, temporaries (a lambda, indices(n)) moved in: a range-for
    // keeps only the range alive, not the temporaries of the expression that made it.
    using FnStore = std::conditional_t<std::is_lvalue_reference_v<Fn>, Fn, std::decay_t<Fn>>;
    using InputsStore = std::conditional_t<std::is_lvalue_reference_v<Inputs>, Inputs, std::decay_t<Inputs>>;
    using F = std::remove_reference_t<FnStore>;
    using I = std::remove_cvref_t<InputsStore>;
    using R = typename detail::CheckedResult<F, I>::type;  // void also where fn cannot be called
    static_assert(!detail::callable_with_input_v<F, I> || !std::is_void_v<R>,
                  "taskfarm: imap yields results, so the function must return a value; use map or "
                  "for_each for a function that returns void");
    if constexpr (detail::check_task<F, I, false>() && !std::is_void_v<R>) {
        return OrderedStream<FnStore, InputsStore>(*this, std::forward<Fn>(fn), std::forward<Inputs>(inputs), call);
    }
}

}  // namespace taskfarm
