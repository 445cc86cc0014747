// A journal is only resumed by the work it was written for: each fingerprint field that differs is
// named with both values, and the file is left untouched.
#include <gtest/gtest.h>

#include <functional>

#include "journal/journal_error.hpp"
#include "journal_test_support.hpp"

namespace taskfarm::journal {
namespace {
using namespace testing;

struct FieldCase {
    char const* name;
    std::function<void(Fingerprint&)> change;
    char const* expected_phrase;
};

TEST(JournalFingerprint, EachDifferingFieldIsRefusedByName) {
    std::vector<FieldCase> const cases = {
        {"task_count", [](Fingerprint& f) { f.task_count = 200; },
         "task count is 100 in the journal but 200 in this call"},
        {"input_hash", [](Fingerprint& f) { f.input_hash = 7; },
         "input hash is 1311768467463790320 in the journal but 7 in this call"},
        {"result_type", [](Fingerprint& f) { f.result_type = "float/4"; },
         "result type is 'double/8' in the journal but 'float/4' in this call"},
        {"call_kind", [](Fingerprint& f) { f.call_kind = "map_reduce"; },
         "call kind is 'map' in the journal but 'map_reduce' in this call"},
        {"compatibility", [](Fingerprint& f) { f.compatibility = "taskfarm 0.2.0 raw-le64"; },
         "compatibility is 'taskfarm 0.1.0 raw-le64' in the journal but 'taskfarm 0.2.0 raw-le64' in this call"},
    };
    ScratchDir dir;
    {
        auto opened = open_journal(dir / "j", 0, test_fingerprint());
        append(opened.writer, test_block(0));
    }
    auto const before = read_bytes(dir / "j");
    for (auto const& c : cases) {
        SCOPED_TRACE(c.name);
        Fingerprint other = test_fingerprint();
        c.change(other);
        for (bool for_append : {false, true}) {
            try {
                if (for_append) {
                    (void)open_journal(dir / "j", 0, other);
                } else {
                    (void)read_section(dir / "j", 0, other);
                }
                FAIL() << "a journal for other work was accepted";
            } catch (JournalMismatchError const& e) {
                EXPECT_EQ(std::string(e.what()), "journal '" + (dir / "j").string() +
                                                     "': was written for different work: " + c.expected_phrase +
                                                     ". Use another journal path, or delete this file to start over");
                EXPECT_EQ(e.path(), dir / "j");
            }
        }
        EXPECT_EQ(read_bytes(dir / "j"), before);
    }
}

TEST(JournalFingerprint, SeveralDifferencesAreAllListed) {
    ScratchDir dir;
    { auto opened = open_journal(dir / "j", 0, test_fingerprint()); }
    Fingerprint other = test_fingerprint(5);
    other.call_kind = "for_each";
    try {
        (void)read_section(dir / "j", 0, other);
        FAIL();
    } catch (JournalMismatchError const& e) {
        std::string const what = e.what();
        EXPECT_NE(what.find("task count is 100 in the journal but 5 in this call; call kind is 'map'"),
                  std::string::npos)
            << what;
    }
}

TEST(JournalFingerprint, AnotherFormatVersionIsRefused) {
    ScratchDir dir;
    { auto opened = open_journal(dir / "j", 0, test_fingerprint()); }
    auto bytes = read_bytes(dir / "j");
    bytes[8] = std::byte{2};  // format_version, little-endian at offset 8
    write_bytes(dir / "j", bytes);
    try {
        (void)open_journal(dir / "j", 0, test_fingerprint());
        FAIL();
    } catch (NotAJournalError const& e) {
        EXPECT_EQ(std::string(e.what()),
                  "journal '" + (dir / "j").string() +
                      "': is a taskfarm journal of format version 2; this build reads version 1");
    }
    EXPECT_EQ(read_bytes(dir / "j"), bytes);
}

TEST(JournalFingerprint, InputSamplesSpanTheInputsAndStayFew) {
    EXPECT_TRUE(input_sample_indices(0).empty());
    EXPECT_EQ(input_sample_indices(1), (std::vector<std::uint64_t>{0}));
    EXPECT_EQ(input_sample_indices(5), (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
    for (std::uint64_t n : {18ull, 19ull, 1000ull, 1'000'000'007ull, ~0ull}) {
        SCOPED_TRACE(n);
        auto const samples = input_sample_indices(n);
        ASSERT_EQ(samples.size(), std::min<std::uint64_t>(n, 18));
        EXPECT_EQ(samples.front(), 0u);
        EXPECT_EQ(samples.back(), n - 1);
        EXPECT_TRUE(std::is_sorted(samples.begin(), samples.end()));
        EXPECT_EQ(std::adjacent_find(samples.begin(), samples.end()), samples.end());
    }
}

TEST(JournalFingerprint, InputHashDependsOnWhichTaskAndWhatBytes) {
    std::vector<std::byte> const a{std::byte{1}, std::byte{2}};
    std::vector<std::byte> const b{std::byte{1}, std::byte{3}};
    EXPECT_EQ(add_input_sample(0, 4, a), add_input_sample(0, 4, a));
    EXPECT_NE(add_input_sample(0, 4, a), add_input_sample(0, 4, b));
    EXPECT_NE(add_input_sample(0, 4, a), add_input_sample(0, 5, a));
    // Swapping two samples' contents changes the hash.
    EXPECT_NE(add_input_sample(add_input_sample(0, 0, a), 9, b), add_input_sample(add_input_sample(0, 0, b), 9, a));
}

}  // namespace
}  // namespace taskfarm::journal
