/// @file
/// @brief Appending to a journal section on the root, one record per accepted block.
///
/// @code{.cpp}
/// auto [replay, writer] = journal::open_journal("sweep.journal", call_number, fingerprint, {});
/// for (auto const& block : replay.blocks) job.accept_results(block.first, block.count, block.payload);
/// // ... run replay.pending(); for every block the root accepts:
/// writer.append_block(first, count, results, input_hash, failures);
/// // ... in the root's service loop, when idle: writer.sync_if_due();
/// writer.close();   // sync + seal
/// @endcode
///
/// Every record goes to the kernel at once (a killed process loses nothing it appended); fsync is
/// batched (an OS crash or power cut loses at most the records since the last sync).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include <taskfarm/errors.hpp>

#include "journal/fingerprint.hpp"
#include "journal/format.hpp"
#include "journal/replay.hpp"

namespace taskfarm::journal {

/// When appended records are forced to disk: after this many records or this much time since the
/// last sync, whichever comes first (checked on append and in sync_if_due).
struct Durability {
    std::uint64_t max_records_between_syncs = 1000;  ///< at least 1 (1: sync every record)
    double max_seconds_between_syncs = 1.0;          ///< at least 0 (0: sync every record)
};

/// Test seams: the clock that decides when a sync is due, and the sync itself.
struct SyncHooks {
    std::function<std::chrono::steady_clock::time_point()> now;  ///< default: steady_clock::now
    std::function<void(int fd)> sync;                            ///< default: fdatasync, throwing on error
};

/// What open_journal does when another process holds the journal's lock: tries again for up to
/// `seconds`, telling `notify` (default: a line on stderr) when it starts waiting and when it got
/// the lock; then refuses.
struct LockWait {
    double seconds = 0;  ///< >= 0; 0: refuse at once
    std::function<void(std::string const& message)> notify;
};

struct WriterStats {
    std::uint64_t records = 0;  ///< records appended by this writer (blocks and seals)
    std::uint64_t bytes = 0;    ///< bytes appended by this writer
    std::uint64_t syncs = 0;    ///< syncs by this writer, the one at open included
};

struct OpenedJournal;

class JournalWriter {
public:
    JournalWriter(JournalWriter&&) noexcept;
    JournalWriter& operator=(JournalWriter&&) noexcept;
    /// Closes (sync + seal) if close() was not called; errors are swallowed here, so call close().
    ~JournalWriter();

    /// Appends the results (or partial fold) of tasks [first, first + count), with the tasks of the
    /// block that failed. Syncs if due. `input_hash`: hash64 of the block's encoded inputs, so that a
    /// resume can check them (0: not checked).
    void append_block(std::uint64_t first, std::uint64_t count, ByteView payload, std::uint64_t input_hash = 0,
                      std::span<TaskFailure const> failures = {});
    /// Syncs if the time limit has passed since the last sync and records are waiting: for the
    /// root's loop while no block arrives.
    void sync_if_due();
    /// Syncs now (no-op when nothing is waiting).
    void sync();
    /// Syncs, appends a seal record and syncs it, and closes the file. Further appends throw.
    void close();

    [[nodiscard]] WriterStats const& stats() const noexcept;
    [[nodiscard]] std::filesystem::path const& file() const noexcept;

private:
    struct State;
    explicit JournalWriter(std::unique_ptr<State> state);
    friend OpenedJournal open_journal(std::filesystem::path const&, std::uint32_t, Fingerprint const&, Durability,
                                      SyncHooks, LockWait);
    void append_record(RecordKind kind, std::initializer_list<ByteView> body_parts);
    void sync_now();
    State& state();
    std::unique_ptr<State> state_;
};

struct OpenedJournal {
    Replay replay;         ///< what the section held (empty for a new journal)
    JournalWriter writer;  ///< appends after it
};

/// Opens section `section` of the journal at `path` for appending, creating the file (atomically:
/// written aside, synced, then linked into place) if it does not exist. An existing file is checked
/// first and left untouched if anything is wrong with it; a torn tail is truncated. The file is
/// locked (flock) against a second writer; a lock held elsewhere is waited for as `lock_wait` says.
/// @throws UsageError (bad Durability or LockWait), NotAJournalError, JournalMismatchError,
///         JournalCorruptError, JournalError (cannot create/open/lock/write; locked after the wait)
[[nodiscard]] OpenedJournal open_journal(std::filesystem::path const& path, std::uint32_t section,
                                         Fingerprint const& fingerprint, Durability durability = {},
                                         SyncHooks hooks = {}, LockWait lock_wait = {});

}  // namespace taskfarm::journal
