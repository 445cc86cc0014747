/// @file
/// @brief What a journal was written for. A journal is only ever resumed by a call whose fingerprint
/// is equal in every field; otherwise the mismatch is reported field by field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "journal/checksum.hpp"

namespace taskfarm::journal {

struct Fingerprint {
    /// Tasks in the farm call.
    std::uint64_t task_count = 0;
    /// A hash of the inputs, cheap to compute on the root before any work runs: see
    /// input_sample_indices. 0 for inputs without payload (taskfarm::indices).
    std::uint64_t input_hash = 0;
    /// The result type, as the engine names it (e.g. typeid(R).name() plus sizeof(R)).
    std::string result_type;
    /// "map", "map_reduce" or "for_each": a map_reduce journal holds partial folds, not results.
    std::string call_kind;
    /// Whatever else must agree for the journaled bytes to decode: taskfarm version, codec,
    /// Boost archive version, endianness. Compared as an opaque string.
    std::string compatibility;

    friend bool operator==(Fingerprint const&, Fingerprint const&) = default;
};

/// One line per field that differs, e.g. "task count is 100 in the journal but 200 in this call".
[[nodiscard]] std::vector<std::string> fingerprint_differences(Fingerprint const& in_journal,
                                                               Fingerprint const& in_call);

/// The tasks whose encoded inputs make up Fingerprint::input_hash: the first, the last and up to
/// `samples` spread evenly in between, in increasing order. Hashing a fixed sample costs the same for
/// ten tasks or ten million and does not depend on which blocks a resumed run skips; together with
/// the per-block input hash in each block record (checked when a block is replayed) it catches a
/// changed input file before any result is reused.
[[nodiscard]] std::vector<std::uint64_t> input_sample_indices(std::uint64_t task_count, std::size_t samples = 16);

/// Folds the encoded inputs of one sampled task into an input hash (start from 0; call in the
/// order input_sample_indices gives).
[[nodiscard]] std::uint64_t add_input_sample(std::uint64_t input_hash, std::uint64_t task, ByteView encoded_input);

}  // namespace taskfarm::journal
