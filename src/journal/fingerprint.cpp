#include "journal/fingerprint.hpp"

#include <string>

namespace taskfarm::journal {
namespace {

template <class T>
std::string show(T const& v) {
    if constexpr (std::is_same_v<T, std::string>) {
        return "'" + v + "'";
    } else {
        return std::to_string(v);
    }
}

template <class T>
void compare(std::vector<std::string>& out, char const* what, T const& journal, T const& call) {
    if (journal != call)
        out.push_back(std::string(what) + " is " + show(journal) + " in the journal but " + show(call) +
                      " in this call");
}

}  // namespace

std::vector<std::string> fingerprint_differences(Fingerprint const& in_journal, Fingerprint const& in_call) {
    std::vector<std::string> out;
    compare(out, "task count", in_journal.task_count, in_call.task_count);
    compare(out, "input hash", in_journal.input_hash, in_call.input_hash);
    compare(out, "result type", in_journal.result_type, in_call.result_type);
    compare(out, "call kind", in_journal.call_kind, in_call.call_kind);
    compare(out, "compatibility", in_journal.compatibility, in_call.compatibility);
    return out;
}

std::vector<std::uint64_t> input_sample_indices(std::uint64_t task_count, std::size_t samples) {
    std::vector<std::uint64_t> out;
    if (task_count == 0) return out;
    // Evenly spread points i * (n - 1) / (s + 1), for i = 0 .. s + 1: the first, `samples` between, the last.
    std::uint64_t const last = task_count - 1;
    std::uint64_t const steps = samples + 1;
    for (std::uint64_t i = 0; i <= steps; ++i) {
        // Split so that last * i cannot overflow: (q * steps + r) * i / steps == q * i + r * i / steps.
        std::uint64_t const index = last / steps * i + last % steps * i / steps;
        if (out.empty() || out.back() != index) out.push_back(index);
    }
    return out;
}

std::uint64_t add_input_sample(std::uint64_t input_hash, std::uint64_t task, ByteView encoded_input) {
    return hash_combine(hash_combine(input_hash, task), hash64(encoded_input));
}

}  // namespace taskfarm::journal
