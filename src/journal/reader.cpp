#include "journal/reader.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "journal/journal_error.hpp"
#include "journal/posix_file.hpp"

namespace taskfarm::journal {
namespace {

/// Checks the file header; returns where the records start.
std::size_t check_header(std::filesystem::path const& file, ByteView bytes, std::uint32_t section,
                         Fingerprint const& expected, Fingerprint& stored) {
    if (bytes.empty()) throw NotAJournalError(file, "is empty, not a taskfarm journal");
    std::size_t const magic_bytes = std::min(bytes.size(), file_magic.size());
    if (std::memcmp(bytes.data(), file_magic.data(), magic_bytes) != 0)
        throw NotAJournalError(file, "does not start with the signature TFJOURNL: not a taskfarm journal");
    ByteReader r(bytes.subspan(file_magic.size() <= bytes.size() ? file_magic.size() : bytes.size()));
    std::uint32_t const version = r.u32();
    std::uint32_t const header_size = r.u32();
    if (!r.ok())
        throw JournalCorruptError(file, "header is cut short (" + std::to_string(bytes.size()) + " bytes)", 0, 0);
    if (version != format_version)
        throw NotAJournalError(file, "is a taskfarm journal of format version " + std::to_string(version) +
                                         "; this build reads version " + std::to_string(format_version));
    if (header_size < 16 + 4 || header_size > max_header_size || header_size > bytes.size())
        throw JournalCorruptError(file,
                                  "header is damaged (it claims " + std::to_string(header_size) +
                                      " bytes, the file has " + std::to_string(bytes.size()) + ")",
                                  0, 0);
    ByteView const header = bytes.first(header_size);
    ByteReader crc_reader(header.last(4));
    if (crc32c(header.first(header_size - 4)) != crc_reader.u32())
        throw JournalCorruptError(file, "header is damaged (checksum mismatch)", 0, 0);

    ByteReader h(header.subspan(16, header_size - 16 - 4));
    std::uint32_t const stored_section = h.u32();
    stored.task_count = h.u64();
    stored.input_hash = h.u64();
    stored.result_type = h.str();
    stored.call_kind = h.str();
    stored.compatibility = h.str();
    if (!h.ok() || h.remaining() != 0) throw JournalCorruptError(file, "header is malformed", 0, 0);

    if (stored_section != section)
        throw JournalMismatchError(file, "holds section " + std::to_string(stored_section) + ", not section " +
                                             std::to_string(section) + " (was the file renamed?)");
    auto const differences = fingerprint_differences(stored, expected);
    if (!differences.empty()) {
        std::string what = "was written for different work: ";
        for (std::size_t i = 0; i < differences.size(); ++i) what += (i ? "; " : "") + differences[i];
        throw JournalMismatchError(file, what + ". Use another journal path, or delete this file to start over");
    }
    return header_size;
}

/// A record that passed its checks, or why it did not.
struct RecordView {
    RecordHeader header;
    ByteView body;
    std::size_t size = 0;  // header + body
};

/// Checks the record at `at` for framing and checksum (not for meaning). `why` says what is wrong.
std::optional<RecordView> frame_record(ByteView bytes, std::size_t at, std::string& why) {
    ByteView const rest = bytes.subspan(at);
    if (rest.size() < record_header_size) {
        why = "is cut short (" + std::to_string(rest.size()) + " of its " + std::to_string(record_header_size) +
              " header bytes)";
        return std::nullopt;
    }
    ByteReader r(rest);
    std::uint32_t const magic = r.u32();
    std::uint32_t const crc = r.u32();
    RecordView v;
    v.header.body_size = r.u32();
    v.header.kind = static_cast<RecordKind>(r.u8());
    (void)r.bytes(3);
    v.header.sequence = r.u64();
    v.header.synced_through = r.u64();
    if (magic != record_magic) {
        why = "has no record signature";
        return std::nullopt;
    }
    if (v.header.body_size > rest.size() - record_header_size) {
        why = "is cut short (its body needs " + std::to_string(v.header.body_size) + " bytes, the file has " +
              std::to_string(rest.size() - record_header_size) + ")";
        return std::nullopt;
    }
    v.size = record_header_size + v.header.body_size;
    if (crc32c(rest.subspan(8, v.size - 8)) != crc) {
        why = "fails its checksum";
        return std::nullopt;
    }
    v.body = rest.subspan(record_header_size, v.header.body_size);
    return v;
}

/// A framed record whose contents make no sense was written by something else than this code: no
/// crash produces it, so it is refused wherever it is.
[[noreturn]] void refuse(std::filesystem::path const& file, std::uint64_t record, std::size_t at,
                         std::string const& what) {
    throw JournalCorruptError(
        file, "record " + std::to_string(record) + " at offset " + std::to_string(at) + " " + what, at, record);
}

ReplayedBlock decode_block(std::filesystem::path const& file, RecordView const& v, std::size_t at,
                           std::uint64_t task_count) {
    ByteReader r(v.body);
    ReplayedBlock block;
    block.record = v.header.sequence;
    block.first = r.u64();
    block.count = r.u64();
    block.input_hash = r.u64();
    std::uint32_t const failure_count = r.u32();
    (void)r.u32();
    if (!r.ok()) refuse(file, block.record, at, "is a block record too short for its fixed fields");
    if (block.count == 0 || block.first > task_count || block.count > task_count - block.first)
        refuse(file, block.record, at,
               "covers tasks [" + std::to_string(block.first) + ", " + std::to_string(block.first + block.count) +
                   ") outside the " + std::to_string(task_count) + " tasks of this call");
    if (failure_count > block.count) refuse(file, block.record, at, "lists more failures than tasks");
    block.failures.reserve(failure_count);
    for (std::uint32_t i = 0; i < failure_count; ++i) {
        TaskFailure f;
        f.index = r.u64();
        f.rank = r.i32();
        f.message = r.str();
        if (!r.ok()) refuse(file, block.record, at, "has a failure list cut short");
        if (f.index < block.first || f.index - block.first >= block.count)
            refuse(file, block.record, at, "lists a failure of task " + std::to_string(f.index) + " outside its block");
        block.failures.push_back(std::move(f));
    }
    block.payload = v.body.subspan(r.position());
    return block;
}

/// A bad record at `at` is a torn tail unless an intact record after it was written once the bad
/// one had been synced: then the bad record had reached the disk and was damaged afterwards.
void classify_bad_record(std::filesystem::path const& file, ByteView bytes, std::size_t at, std::uint64_t record,
                         std::string const& why, Replay& replay) {
    std::array<std::byte, 4> magic{};
    for (std::size_t i = 0; i < 4; ++i) magic[i] = static_cast<std::byte>(record_magic >> (8 * i));
    std::string ignored;
    for (std::size_t candidate = at + 1; candidate + record_header_size <= bytes.size(); ++candidate) {
        if (std::memcmp(bytes.data() + candidate, magic.data(), magic.size()) != 0) continue;
        auto const later = frame_record(bytes, candidate, ignored);
        if (!later || later->header.synced_through <= record) continue;
        throw JournalCorruptError(
            file,
            "record " + std::to_string(record) + " at offset " + std::to_string(at) + " " + why + ", but record " +
                std::to_string(later->header.sequence) + " at offset " + std::to_string(candidate) +
                " is intact and was written after record " + std::to_string(record) +
                " had been synced to disk: this is damage in the middle of the journal, not a torn write; "
                "refusing to drop the records after it",
            at, record);
    }
    replay.dropped_bytes = bytes.size() - at;
    replay.dropped_reason = "record " + std::to_string(record) + " at offset " + std::to_string(at) + " " + why +
                            ": a torn write at the tail, " + std::to_string(replay.dropped_bytes) + " bytes dropped";
}

}  // namespace

Replay parse_section(std::filesystem::path const& file, Bytes contents, std::uint32_t section,
                     Fingerprint const& expected) {
    Replay replay;
    replay.storage = std::move(contents);
    ByteView const bytes(replay.storage);
    std::size_t at = check_header(file, bytes, section, expected, replay.fingerprint);

    std::string why;
    while (at < bytes.size()) {
        std::uint64_t const number = replay.records;
        auto const v = frame_record(bytes, at, why);
        if (v && v->header.sequence != number)
            why = "is numbered " + std::to_string(v->header.sequence) + ", not " + std::to_string(number);
        if (!v || v->header.sequence != number) {
            classify_bad_record(file, bytes, at, number, why, replay);
            break;
        }
        switch (v->header.kind) {
            case RecordKind::block:
                replay.blocks.push_back(decode_block(file, *v, at, replay.fingerprint.task_count));
                replay.sealed = false;
                break;
            case RecordKind::seal:
                replay.sealed = true;
                break;
            default:
                refuse(file, number, at, "is of unknown kind " + std::to_string(static_cast<int>(v->header.kind)));
        }
        ++replay.records;
        at += v->size;
    }
    replay.valid_bytes = at;
    return replay;
}

Replay read_section(std::filesystem::path const& path, std::uint32_t section, Fingerprint const& expected) {
    std::filesystem::path const file = section_path(path, section);
    FileHandle const handle = open_file(file, O_RDONLY);
    if (!handle.is_open()) throw JournalError(file, "cannot open for reading: " + errno_text(errno));
    return parse_section(file, read_whole_file(handle.get(), file), section, expected);
}

}  // namespace taskfarm::journal
