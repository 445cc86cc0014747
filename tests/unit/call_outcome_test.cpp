// Outcome <-> exception, both ways: what the root sends in the Stop is what every worker throws.
#include <gtest/gtest.h>

#include <csignal>

#include "engine/call_outcome.hpp"

using namespace taskfarm;
using namespace taskfarm::detail;

namespace {
// What a worker throws for the Stop the root would send for `outcome`.
CallOutcome through_the_wire(CallOutcome const& outcome) {
    Bytes buffer;
    write_stop(buffer, 3, outcome);
    MessageView const stop = parse_message(buffer);
    EXPECT_EQ(stop.header.kind, MessageKind::stop);
    EXPECT_EQ(stop.header.call, 3u);
    return read_stop(stop);
}
}  // namespace

TEST(CallOutcome, OkThrowsNothing) { EXPECT_NO_THROW(throw_outcome(through_the_wire(outcome_of_failures({})))); }

TEST(CallOutcome, TaskFailuresTravelWhole) {
    CallOutcome const sent = outcome_of_failures({{7, 2, "seven"}, {9, 1, "nine"}});
    try {
        throw_outcome(through_the_wire(sent));
        FAIL() << "no TaskError";
    } catch (TaskError const& e) {
        ASSERT_EQ(e.failures().size(), 2u);
        EXPECT_EQ(e.index(), 7u);
        EXPECT_EQ(e.rank(), 2);
        EXPECT_EQ(e.failures()[1].message, "nine");
    }
}

TEST(CallOutcome, AnInterruptKeepsSignalAndCounts) {
    try {
        throw_outcome(through_the_wire(outcome_of_interrupt(SIGTERM, 4, 10, "interrupted by SIGTERM")));
        FAIL() << "no Interrupted";
    } catch (Interrupted const& e) {
        EXPECT_EQ(e.signal(), SIGTERM);
        EXPECT_EQ(e.tasks_done(), 4u);
        EXPECT_EQ(e.task_count(), 10u);
        EXPECT_STREQ(e.what(), "interrupted by SIGTERM");
    }
}

TEST(CallOutcome, TheRootRethrowsItsOwnErrorAndWorkersGetItsKind) {
    struct Custom : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    CallOutcome const usage = outcome_of_error(std::make_exception_ptr(UsageError("bad options")), 0);
    EXPECT_THROW(throw_outcome(usage), UsageError);
    EXPECT_THROW(throw_outcome(through_the_wire(usage)), UsageError);
    CallOutcome const custom = outcome_of_error(std::make_exception_ptr(Custom("journal disk full")), 0);
    EXPECT_EQ(custom.status, CallStatus::root_failed);
    EXPECT_THROW(throw_outcome(custom), Custom) << "the root sees its error as it was";
    try {
        throw_outcome(through_the_wire(custom));
        FAIL() << "no Error";
    } catch (UsageError const&) {
        FAIL() << "not a usage error";
    } catch (Error const& e) {
        EXPECT_STREQ(e.what(), "taskfarm: the call failed on the root: journal disk full");
    }
}

TEST(CallOutcome, AResultThatIsNotOkNamesRankAndTasks) {
    Header header{MessageKind::result, 1, 10, 5};
    header.status = CallStatus::block_failed;
    auto const failed = result_error(2, header, {{10, 2, "inputs did not decode"}});
    try {
        std::rethrow_exception(failed);
    } catch (Error const& e) {
        EXPECT_STREQ(e.what(), "taskfarm: rank 2 could not run tasks [10, 15): inputs did not decode");
    }
    header.status = CallStatus::wrong_call;
    EXPECT_THROW(std::rethrow_exception(result_error(2, header, {{10, 2, "makes a map call"}})), UsageError);
    header.status = CallStatus::block_failed;
    try {
        std::rethrow_exception(result_error(-1, header, {}));
    } catch (Error const& e) {
        EXPECT_STREQ(e.what(), "taskfarm: the root could not run tasks [10, 15): unknown error");
    }
}
