// The root's journal for one farm call: opens its section (the n-th journaled call of a Farm
// uses section n), checks that the journal was written for this very work, hands back what it
// holds, and appends every block the root accepts. Without Options::journal it does nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <taskfarm/detail/job.hpp>
#include <taskfarm/options.hpp>

#include "journal/replay.hpp"
#include "journal/writer.hpp"

namespace taskfarm::detail {

class JournalSession {
public:
    /// No journal.
    JournalSession() = default;
    /// Opens section `section` of Options::journal; throws the Journal*Error classes (the file is
    /// then left as it was) and JournalMismatchError if a journaled block's inputs changed.
    JournalSession(Options const& options, std::uint32_t section, Job& job);

    [[nodiscard]] bool active() const noexcept { return writer_ != nullptr; }
    /// What the section held (empty without a journal). Its payloads live as long as the session.
    [[nodiscard]] journal::Replay& replay() noexcept { return replay_; }
    /// Frees the replayed bytes once they were fed to the job.
    void drop_replay() { replay_ = journal::Replay{}; }

    void append(std::uint64_t first, std::uint64_t count, ByteView payload, std::uint64_t input_hash,
                std::span<TaskFailure const> failures);
    void sync_if_due();
    /// Syncs and seals. After an error (`quietly`), errors of its own are swallowed.
    void close(bool quietly);

    /// The file of this call's section, for messages.
    [[nodiscard]] std::string const& file() const noexcept { return file_; }

    /// The hash stored with each block: of its encoded inputs (0 when inputs have no payload).
    [[nodiscard]] static std::uint64_t input_hash(ByteView encoded_inputs);

private:
    std::unique_ptr<journal::JournalWriter> writer_;
    journal::Replay replay_;
    std::string file_;
};

/// The fingerprint of a call: task count, a sample of its inputs, result type, call kind, and what
/// the journaled bytes' encoding depends on.
[[nodiscard]] journal::Fingerprint fingerprint_of(Job& job);

}  // namespace taskfarm::detail
