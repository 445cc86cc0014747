// fsync batching: by record count and by time (a fake clock, so nothing here waits or depends on
// the machine's speed), and the settings that are refused.
#include <gtest/gtest.h>

#include <cmath>

#include "journal_test_support.hpp"

namespace taskfarm::journal {
namespace {
using namespace testing;
using Clock = std::chrono::steady_clock;

struct FakeTime {
    Clock::time_point now{};
    void advance(double seconds) {
        now += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    }
};

SyncHooks fake_hooks(FakeTime* time, int* syncs) {
    SyncHooks hooks = counting_hooks(syncs);
    hooks.now = [time] { return time->now; };
    return hooks;
}

TEST(JournalDurability, SyncsEveryNRecords) {
    ScratchDir dir;
    FakeTime time;
    int syncs = 0;
    auto opened = open_journal(dir / "j", 0, test_fingerprint(), Durability{10, 1e9}, fake_hooks(&time, &syncs));
    EXPECT_EQ(syncs, 0);  // a new journal's header was synced when it was created
    for (std::uint64_t k = 0; k < 25; ++k) {
        opened.writer.append_block(k, 1, {});
        EXPECT_EQ(syncs, static_cast<int>((k + 1) / 10)) << "after record " << k;
    }
    EXPECT_EQ(opened.writer.stats().syncs, 2u);
    opened.writer.close();  // syncs the last 5, appends the seal and syncs it
    EXPECT_EQ(syncs, 4);
    EXPECT_EQ(opened.writer.stats().records, 26u);
}

TEST(JournalDurability, SyncsWhenTheTimeLimitPasses) {
    ScratchDir dir;
    FakeTime time;
    int syncs = 0;
    auto opened = open_journal(dir / "j", 0, test_fingerprint(), Durability{1000, 2.0}, fake_hooks(&time, &syncs));
    opened.writer.append_block(0, 1, {});
    time.advance(1.5);
    opened.writer.append_block(1, 1, {});
    EXPECT_EQ(syncs, 0);
    time.advance(0.5);  // 2 s since the last sync (the open)
    opened.writer.append_block(2, 1, {});
    EXPECT_EQ(syncs, 1);
    time.advance(1.9);
    opened.writer.append_block(3, 1, {});
    EXPECT_EQ(syncs, 1);
}

TEST(JournalDurability, SyncIfDueCoversAnIdleWriter) {
    ScratchDir dir;
    FakeTime time;
    int syncs = 0;
    auto opened = open_journal(dir / "j", 0, test_fingerprint(), Durability{1000, 1.0}, fake_hooks(&time, &syncs));
    time.advance(5);
    opened.writer.sync_if_due();
    EXPECT_EQ(syncs, 0) << "nothing was waiting";
    opened.writer.append_block(0, 1, {});  // 5 s since the open: synced at once
    EXPECT_EQ(syncs, 1);
    opened.writer.append_block(1, 1, {});
    time.advance(0.5);
    opened.writer.sync_if_due();
    EXPECT_EQ(syncs, 1) << "not due yet";
    time.advance(0.5);
    opened.writer.sync_if_due();
    EXPECT_EQ(syncs, 2);
    opened.writer.sync();
    EXPECT_EQ(syncs, 2) << "sync with nothing waiting is free";
}

TEST(JournalDurability, ZeroSecondsOrOneRecordSyncsEveryAppend) {
    ScratchDir dir;
    FakeTime time;
    int syncs = 0;
    for (Durability d : {Durability{1, 1e9}, Durability{1000, 0.0}}) {
        syncs = 0;
        auto opened = open_journal(dir / ("j" + std::to_string(d.max_records_between_syncs)), 0, test_fingerprint(), d,
                                   fake_hooks(&time, &syncs));
        for (std::uint64_t k = 0; k < 5; ++k) opened.writer.append_block(k, 1, {});
        EXPECT_EQ(syncs, 5);
    }
}

TEST(JournalDurability, ReopeningSyncsWhatThePreviousRunLeftInThePageCache) {
    ScratchDir dir;
    int syncs = 0;
    {
        auto first = open_journal(dir / "j", 0, test_fingerprint(), Durability{1000, 1e9}, counting_hooks(&syncs));
        first.writer.append_block(0, 1, {});
    }
    syncs = 0;
    auto second = open_journal(dir / "j", 0, test_fingerprint(), Durability{1000, 1e9}, counting_hooks(&syncs));
    EXPECT_EQ(syncs, 1);
}

TEST(JournalDurability, RefusesSettingsOutOfRange) {
    ScratchDir dir;
    auto expect_usage_error = [&](Durability d, std::string const& message) {
        try {
            (void)open_journal(dir / "j", 0, test_fingerprint(), d);
            FAIL() << "accepted " << message;
        } catch (UsageError const& e) {
            EXPECT_EQ(e.what(), message);
        }
    };
    expect_usage_error({0, 1.0}, "journal: Durability::max_records_between_syncs must be at least 1");
    expect_usage_error({10, -1.0}, "journal: Durability::max_seconds_between_syncs must be a finite number >= 0");
    expect_usage_error({10, std::nan("")},
                       "journal: Durability::max_seconds_between_syncs must be a finite number >= 0");
    EXPECT_FALSE(std::filesystem::exists(dir / "j")) << "nothing is created for a refused call";
}

}  // namespace
}  // namespace taskfarm::journal
