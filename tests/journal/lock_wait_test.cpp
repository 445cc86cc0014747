// Waiting for a journal that another process holds (issue 9): a killed job's ranks keep the lock
// for a few seconds while they drain, and a resubmitted job should wait for it, say so, and only
// refuse after a bounded time. The lock is held by a child process that lets go when told to.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "journal_test_support.hpp"

namespace taskfarm::journal::testing {
namespace {

/// A child process holding the journal's lock until release() (or the end of the test).
class LockHolder {
public:
    explicit LockHolder(std::filesystem::path const& file) {
        int locked[2], release[2];
        if (::pipe(locked) != 0 || ::pipe(release) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            int const fd = ::open(file.c_str(), O_RDWR);
            char const ok = fd >= 0 && ::flock(fd, LOCK_EX) == 0 ? 'L' : 'E';
            (void)!::write(locked[1], &ok, 1);
            char go = 0;
            (void)!::read(release[0], &go, 1);  // until the parent writes or exits
            ::_exit(0);                         // the lock goes with the process
        }
        ::close(locked[1]);
        ::close(release[0]);
        release_fd_ = release[1];
        char ok = 0;
        if (::read(locked[0], &ok, 1) != 1 || ok != 'L') throw std::runtime_error("the child could not lock");
        ::close(locked[0]);
    }
    ~LockHolder() { release(); }
    LockHolder(LockHolder const&) = delete;
    LockHolder& operator=(LockHolder const&) = delete;

    /// Tells the child to exit and waits until it has (so its lock is gone).
    void release() {
        if (pid_ <= 0) return;
        char const go = 'G';
        (void)!::write(release_fd_, &go, 1);
        ::close(release_fd_);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
    int release_fd_ = -1;
};

template <class E, class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (E const& e) {
        return e.what();
    }
    ADD_FAILURE() << "no " << typeid(E).name() << " was thrown";
    return {};
}

std::filesystem::path a_journal_with_two_blocks(ScratchDir const& dir) {
    auto opened = open_journal(dir / "j", 0, test_fingerprint());
    append(opened.writer, test_block(0));
    append(opened.writer, test_block(1));
    opened.writer.close();
    return dir / "j";
}

}  // namespace

TEST(JournalLockWait, WaitsForTheHolderSaysSoAndResumes) {
    ScratchDir dir;
    auto const file = a_journal_with_two_blocks(dir);
    LockHolder holder(file);
    std::vector<std::string> notices;
    // The holder lets go only once the waiting run has said it is waiting: the release lands
    // inside the wait, whatever the machine's speed.
    LockWait wait{60.0, [&](std::string const& message) {
                      notices.push_back(message);
                      if (notices.size() == 1) holder.release();
                  }};
    auto opened = open_journal(file, 0, test_fingerprint(), {}, {}, wait);
    EXPECT_EQ(opened.replay.blocks.size(), 2u);
    ASSERT_EQ(notices.size(), 2u);
    EXPECT_EQ(notices[0], "taskfarm: journal '" + file.string() +
                              "' is locked by another process (a run still going, or a killed job's ranks still "
                              "draining); waiting up to 60.0 s for it");
    EXPECT_EQ(notices[1].rfind("taskfarm: journal '" + file.string() + "': got the lock after ", 0), 0u) << notices[1];
}

TEST(JournalLockWait, RefusesOnceTheWaitIsOverAndLeavesTheFileAlone) {
    ScratchDir dir;
    auto const file = a_journal_with_two_blocks(dir);
    auto const before = read_bytes(file);
    LockHolder holder(file);
    std::vector<std::string> notices;
    LockWait wait{0.2, [&](std::string const& message) { notices.push_back(message); }};
    EXPECT_EQ(error_of<JournalError>([&] { (void)open_journal(file, 0, test_fingerprint(), {}, {}, wait); }),
              "journal '" + file.string() +
                  "': is in use by another process (it holds the lock, and still did after 0.2 s); two runs must "
                  "not share a journal");
    EXPECT_EQ(notices.size(), 1u);  // it said it was waiting, and did not claim to have got it
    EXPECT_EQ(read_bytes(file), before);
}

TEST(JournalLockWait, ABadWaitIsAUsageError) {
    ScratchDir dir;
    EXPECT_THROW((void)open_journal(dir / "j", 0, test_fingerprint(), {}, {}, LockWait{-1.0, {}}), UsageError);
}

}  // namespace taskfarm::journal::testing
