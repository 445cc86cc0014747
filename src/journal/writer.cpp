#include "journal/writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "journal/journal_error.hpp"
#include "journal/posix_file.hpp"
#include "journal/reader.hpp"

namespace taskfarm::journal {

struct JournalWriter::State {
    std::filesystem::path file;
    FileHandle handle;
    Durability durability;
    SyncHooks hooks;
    std::uint64_t task_count = 0;
    std::uint64_t end = 0;             // file size: where the next record goes
    std::uint64_t next_sequence = 0;   // number of the next record
    std::uint64_t synced_through = 0;  // records known durable
    std::chrono::steady_clock::time_point last_sync;
    WriterStats stats;
    Bytes scratch;       // a block's fixed fields and failures
    std::string broken;  // why appends are refused (after close or a failed write)
};

namespace {

void validate(Durability const& d) {
    if (d.max_records_between_syncs < 1)
        throw UsageError("journal: Durability::max_records_between_syncs must be at least 1");
    if (!(d.max_seconds_between_syncs >= 0) || !std::isfinite(d.max_seconds_between_syncs))
        throw UsageError("journal: Durability::max_seconds_between_syncs must be a finite number >= 0");
}

/// Writes the header to a private file beside `file`, syncs it and links it into place, so `file`
/// never exists half-written. If another process made `file` meanwhile, theirs is kept.
void create_journal_file(std::filesystem::path const& file, std::uint32_t section, Fingerprint const& fp) {
    std::filesystem::path aside = file;
    aside += ".creating." + std::to_string(::getpid());
    FileHandle handle = open_file(aside, O_WRONLY | O_CREAT | O_EXCL);
    if (!handle.is_open()) {
        int const err = errno;
        throw JournalError(file, "cannot create it (" + aside.filename().string() + " in " +
                                     (file.has_parent_path() ? file.parent_path().string() : std::string(".")) +
                                     "): " + errno_text(err));
    }
    auto cleanup = [&] { ::unlink(aside.c_str()); };
    try {
        Bytes header = encode_file_header(section, fp);
        iovec part{header.data(), header.size()};
        write_all_at(handle.get(), aside, std::span(&part, 1), 0);
        sync_file(handle.get(), aside);
        if (int const err = handle.reset(); err != 0) throw JournalError(aside, "cannot close: " + errno_text(err));
        if (::link(aside.c_str(), file.c_str()) != 0) {
            int const err = errno;
            if (err == EEXIST) {
                cleanup();
                return;
            }
            // File systems without hard links: rename (which could replace a racing creator's file).
            if (::rename(aside.c_str(), file.c_str()) != 0)
                throw JournalError(file, "cannot move the new journal into place: " + errno_text(errno));
        }
        cleanup();
        sync_parent_directory(file);
    } catch (...) {
        cleanup();
        throw;
    }
}

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
}

/// Takes the lock, waiting for another holder as `wait` says. A killed job's ranks can keep it for
/// a few seconds while they drain, and a resubmitted job should not fail for that.
void lock_exclusively(int fd, std::filesystem::path const& file, LockWait const& wait) {
    using Clock = std::chrono::steady_clock;
    auto const start = Clock::now();
    auto const deadline = start +
                          std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait.seconds));
    bool waiting = false;
    for (;;) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            if (waiting)
                wait.notify("taskfarm: journal '" + file.string() + "': got the lock after " +
                            seconds_text(std::chrono::duration<double>(Clock::now() - start).count()));
            return;
        }
        int const err = errno;
        if (err == EINTR) continue;
        if (err != EWOULDBLOCK) {
            // Where the file system has no locks (some parallel file systems), go on without.
            if (err != ENOLCK && err != EOPNOTSUPP && err != ENOSYS && err != EINVAL)
                throw JournalError(file, "cannot lock: " + errno_text(err));
            return;
        }
        auto const now = Clock::now();
        if (now >= deadline)
            throw JournalError(
                file, "is in use by another process (it holds the lock" +
                          (wait.seconds > 0 ? ", and still did after " + seconds_text(wait.seconds) : std::string()) +
                          "); two runs must not share a journal");
        if (!waiting) {
            waiting = true;
            wait.notify("taskfarm: journal '" + file.string() +
                        "' is locked by another process (a run still going, or a killed job's ranks still "
                        "draining); waiting up to " +
                        seconds_text(wait.seconds) + " for it");
        }
        std::this_thread::sleep_for(std::min<Clock::duration>(deadline - now, std::chrono::milliseconds(50)));
    }
}

}  // namespace

OpenedJournal open_journal(std::filesystem::path const& path, std::uint32_t section, Fingerprint const& fingerprint,
                           Durability durability, SyncHooks hooks, LockWait lock_wait) {
    validate(durability);
    if (!(lock_wait.seconds >= 0) || !std::isfinite(lock_wait.seconds))
        throw UsageError("journal: LockWait::seconds must be a finite number >= 0");
    if (!lock_wait.notify)
        lock_wait.notify = [](std::string const& message) { std::fprintf(stderr, "%s\n", message.c_str()); };
    if (!hooks.now) hooks.now = [] { return std::chrono::steady_clock::now(); };
    std::filesystem::path const file = section_path(path, section);

    FileHandle handle = open_file(file, O_RDWR);
    if (!handle.is_open() && errno == ENOENT) {
        create_journal_file(file, section, fingerprint);
        handle = open_file(file, O_RDWR);
    }
    if (!handle.is_open()) throw JournalError(file, "cannot open for writing: " + errno_text(errno));
    lock_exclusively(handle.get(), file, lock_wait);

    // Everything is checked before the file is changed in any way.
    Replay replay = parse_section(file, read_whole_file(handle.get(), file), section, fingerprint);
    if (replay.dropped_bytes > 0 && ::ftruncate(handle.get(), static_cast<off_t>(replay.valid_bytes)) != 0)
        throw JournalError(file, "cannot truncate its torn tail: " + errno_text(errno));

    auto state = std::make_unique<JournalWriter::State>();
    state->file = file;
    state->handle = std::move(handle);
    state->durability = durability;
    state->hooks = std::move(hooks);
    state->task_count = fingerprint.task_count;
    state->end = replay.valid_bytes;
    state->next_sequence = replay.records;
    state->synced_through = replay.records;
    state->last_sync = state->hooks.now();
    JournalWriter writer(std::move(state));
    // The records read may sit in the page cache only (the previous run was killed) and a truncation
    // is not durable until synced: sync before new records claim that those before them are durable.
    if (replay.records > 0 || replay.dropped_bytes > 0) writer.sync_now();
    return OpenedJournal{std::move(replay), std::move(writer)};
}

JournalWriter::JournalWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
JournalWriter::JournalWriter(JournalWriter&&) noexcept = default;
JournalWriter& JournalWriter::operator=(JournalWriter&& other) noexcept {
    if (this != &other) {
        if (state_) {
            try {
                close();
            } catch (...) {  // the moved-over journal stays valid: at worst its tail is dropped later
            }
        }
        state_ = std::move(other.state_);
    }
    return *this;
}

JournalWriter::~JournalWriter() {
    if (!state_) return;
    try {
        close();
    } catch (...) {  // destructors must not throw; an unsealed journal is still a valid journal
    }
}

JournalWriter::State& JournalWriter::state() {
    if (!state_) throw UsageError("journal: use of a moved-from JournalWriter");
    return *state_;
}

WriterStats const& JournalWriter::stats() const noexcept { return state_->stats; }
std::filesystem::path const& JournalWriter::file() const noexcept { return state_->file; }

void JournalWriter::append_record(RecordKind kind, std::initializer_list<ByteView> body_parts) {
    State& s = state();
    if (!s.broken.empty()) throw JournalError(s.file, "cannot append: " + s.broken);
    std::uint64_t body_size = 0;
    for (ByteView part : body_parts) body_size += part.size();
    if (body_size > UINT32_MAX)
        throw JournalError(s.file,
                           "cannot append a record of " + std::to_string(body_size) + " bytes (the limit is 4 GiB)");

    std::array<std::byte, record_header_size> header{};
    encode_record_header({kind, static_cast<std::uint32_t>(body_size), s.next_sequence, s.synced_through}, header);
    seal_record_header(header, body_parts);

    std::array<iovec, 4> parts{};
    std::size_t n = 0;
    parts[n++] = {header.data(), header.size()};
    for (ByteView part : body_parts)
        if (!part.empty()) parts[n++] = {const_cast<std::byte*>(part.data()), part.size()};
    try {
        write_all_at(s.handle.get(), s.file, std::span(parts.data(), n), s.end);
    } catch (JournalError const& e) {
        // Cut the partial record off so the file stays a clean journal; stop appending either way.
        s.broken = std::string("a write failed earlier (") + e.what() + ")";
        (void)::ftruncate(s.handle.get(), static_cast<off_t>(s.end));
        throw;
    }
    s.end += record_header_size + body_size;
    ++s.next_sequence;
    ++s.stats.records;
    s.stats.bytes += record_header_size + body_size;
}

void JournalWriter::append_block(std::uint64_t first, std::uint64_t count, ByteView payload, std::uint64_t input_hash,
                                 std::span<TaskFailure const> failures) {
    State& s = state();
    if (count == 0) throw UsageError("journal: append_block of an empty block");
    if (first > s.task_count || count > s.task_count - first)
        throw UsageError("journal: append_block of tasks [" + std::to_string(first) + ", " +
                         std::to_string(first + count) + ") outside the " + std::to_string(s.task_count) +
                         " tasks of the call");
    s.scratch.clear();
    ByteWriter w(s.scratch);
    w.u64(first);
    w.u64(count);
    w.u64(input_hash);
    w.u32(static_cast<std::uint32_t>(failures.size()));
    w.u32(0);
    for (auto const& f : failures) {
        w.u64(f.index);
        w.i32(f.rank);
        w.str(f.message);
    }
    append_record(RecordKind::block, {ByteView(s.scratch), payload});
    if (s.next_sequence - s.synced_through >= s.durability.max_records_between_syncs) {
        sync();
    } else {
        sync_if_due();
    }
}

void JournalWriter::sync_if_due() {
    State& s = state();
    if (s.synced_through == s.next_sequence) return;
    std::chrono::duration<double> const since = s.hooks.now() - s.last_sync;
    if (since.count() >= s.durability.max_seconds_between_syncs) sync();
}

void JournalWriter::sync() {
    State& s = state();
    if (s.synced_through != s.next_sequence) sync_now();
}

void JournalWriter::sync_now() {
    State& s = state();
    if (!s.handle.is_open()) throw JournalError(s.file, "cannot sync: the journal is closed");
    try {
        if (s.hooks.sync) {
            s.hooks.sync(s.handle.get());
        } else {
            sync_file(s.handle.get(), s.file);
        }
    } catch (JournalError const& e) {
        // After a failed fsync Linux may have discarded the pages: nothing after this is trustworthy.
        s.broken = std::string("a sync failed earlier (") + e.what() + ")";
        throw;
    }
    s.synced_through = s.next_sequence;
    s.last_sync = s.hooks.now();
    ++s.stats.syncs;
}

void JournalWriter::close() {
    State& s = state();
    if (!s.handle.is_open()) return;
    if (s.broken.empty()) {
        bool const appended = s.stats.records > 0;
        sync();
        // The seal says "everything before me was synced"; it lets a reader tell damage in the
        // middle from a torn tail right up to the last block.
        if (appended) {
            append_record(RecordKind::seal, {});
            sync();
        }
    }
    s.broken = "the journal is closed";
    if (int const err = s.handle.reset(); err != 0) throw JournalError(s.file, "cannot close: " + errno_text(err));
}

}  // namespace taskfarm::journal
