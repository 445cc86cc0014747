/// @file
/// @brief What a journal section holds once read: the blocks to feed back to the job, and the tasks
/// still to run.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <taskfarm/errors.hpp>

#include "journal/format.hpp"
#include "journal/task_range.hpp"

namespace taskfarm::journal {

/// One journaled block: the engine hands `payload` to Job::accept_results(first, count, payload).
struct ReplayedBlock {
    std::uint64_t first = 0;
    std::uint64_t count = 0;
    std::uint64_t input_hash = 0;       ///< as given to append_block (0: not hashed)
    ByteView payload;                   ///< points into the Replay that holds this block
    std::vector<TaskFailure> failures;  ///< tasks of this block that failed
    std::uint64_t record = 0;           ///< record number in the file
};

/// The valid records of one section, in the order they were written. Move-only: the payloads view
/// the file's bytes, which the Replay owns.
class Replay {
public:
    Replay() = default;
    Replay(Replay&&) noexcept = default;
    Replay& operator=(Replay&&) noexcept = default;
    Replay(Replay const&) = delete;
    Replay& operator=(Replay const&) = delete;

    Fingerprint fingerprint;            ///< as stored in the header (equal to the caller's)
    std::vector<ReplayedBlock> blocks;  ///< journal order; a later block overrides an earlier one
    std::uint64_t records = 0;          ///< valid records, seals included
    std::uint64_t valid_bytes = 0;      ///< length of the valid prefix of the file
    std::uint64_t dropped_bytes = 0;    ///< length of the torn tail dropped after it (0: none)
    std::string dropped_reason;         ///< why the tail was dropped, for a log line
    bool sealed = false;                ///< the last valid record is a seal: closed cleanly

    /// Tasks whose latest journaled block lists them as failed, in task order.
    [[nodiscard]] std::vector<TaskFailure> standing_failures() const;
    /// What a resumed call still has to run: tasks no block covers, and standing failures; sorted,
    /// adjacent ranges merged.
    [[nodiscard]] std::vector<TaskRange> pending() const;
    /// Tasks with a result in the journal (task count minus pending tasks).
    [[nodiscard]] std::uint64_t completed_tasks() const;

    /// The file's bytes, which the payloads view (set by the reader).
    Bytes storage;
};

}  // namespace taskfarm::journal
