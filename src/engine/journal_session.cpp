#include "engine/journal_session.hpp"

#include <bit>
#include <cmath>
#include <filesystem>
#include <string>

#include <boost/archive/basic_archive.hpp>

#include <taskfarm/errors.hpp>

#include "engine/build_id.hpp"
#include "journal/checksum.hpp"
#include "journal/format.hpp"

namespace taskfarm::detail {

namespace {

std::string compatibility_of(Job const& job) {
    return std::string("taskfarm ") + kTaskfarmVersion + "; payload " + job.codec() + "; boost archive " +
           std::to_string(static_cast<unsigned>(boost::archive::BOOST_ARCHIVE_VERSION())) + "; " +
           (std::endian::native == std::endian::little ? "little" : "big") + "-endian";
}

}  // namespace

journal::Fingerprint fingerprint_of(Job& job) {
    journal::Fingerprint fp;
    fp.task_count = job.size();
    fp.result_type = job.result_type();
    fp.call_kind = job.call_kind();
    fp.compatibility = compatibility_of(job);
    bool any_payload = false;
    Bytes encoded;
    for (std::uint64_t task : journal::input_sample_indices(fp.task_count)) {
        encoded.clear();
        job.encode_inputs(task, 1, encoded);
        any_payload = any_payload || !encoded.empty();
        fp.input_hash = journal::add_input_sample(fp.input_hash, task, encoded);
    }
    if (!any_payload) fp.input_hash = 0;  // taskfarm::indices: the task count says it all
    return fp;
}

std::uint64_t JournalSession::input_hash(ByteView encoded_inputs) {
    return encoded_inputs.empty() ? 0 : journal::hash64(encoded_inputs);
}

JournalSession::JournalSession(Options const& options, std::uint32_t section, Job& job) {
    file_ = journal::section_path(options.journal, section).string();
    if (!(options.journal_lock_wait_seconds >= 0) || !std::isfinite(options.journal_lock_wait_seconds))
        throw UsageError("taskfarm: Options.journal_lock_wait_seconds must be a finite number >= 0, not " +
                         std::to_string(options.journal_lock_wait_seconds));
    // Checked before the file is touched: a journal must never hold the hash of padding.
    if (auto const problem = job.journal_input_problem(); !problem.empty())
        throw UsageError("taskfarm: Options.journal is set, but " + problem);
    auto opened = journal::open_journal(options.journal, section, fingerprint_of(job),
                                        journal::Durability{options.journal_sync_blocks, options.journal_sync_seconds},
                                        {}, journal::LockWait{options.journal_lock_wait_seconds, {}});
    replay_ = std::move(opened.replay);
    writer_ = std::make_unique<journal::JournalWriter>(std::move(opened.writer));

    // The fingerprint samples a few inputs; every journaled block also holds the hash of all of its
    // inputs. Re-encoding them costs far less than the tasks did, and catches a changed input
    // before any result of it is reused.
    Bytes encoded;
    for (auto const& block : replay_.blocks) {
        if (block.input_hash == 0) continue;
        encoded.clear();
        job.encode_inputs(block.first, block.count, encoded);
        if (input_hash(encoded) != block.input_hash) {
            writer_->close();
            throw JournalMismatchError(
                file_, "the inputs of tasks [" + std::to_string(block.first) + ", " +
                           std::to_string(block.first + block.count) +
                           ") differ from those the journal was written for. Use another journal path, or "
                           "delete this file to start over");
        }
    }
}

void JournalSession::append(std::uint64_t first, std::uint64_t count, ByteView payload, std::uint64_t input_hash,
                            std::span<TaskFailure const> failures) {
    if (writer_) writer_->append_block(first, count, payload, input_hash, failures);
}

void JournalSession::sync_if_due() {
    if (writer_) writer_->sync_if_due();
}

void JournalSession::close(bool quietly) {
    if (!writer_) return;
    try {
        writer_->close();
    } catch (...) {
        if (!quietly) throw;
    }
}

}  // namespace taskfarm::detail
