// Journal resume through the Farm (issue 4). A first run is cut short (tasks throw from some index
// on, or a signal interrupts it); a second run with the same journal must give exactly the serial
// results and run exactly the tasks the first did not complete. Also: one section per call,
// journals written for other work or not journals at all refused by type and left untouched,
// damaged tails dropped, damage in the middle refused.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "reliab_support.hpp"

namespace {

using reliab::value_of;

constexpr std::size_t kTasks = 600;

taskfarm::Options journaled(std::string const& path, taskfarm::OnError policy = taskfarm::OnError::stop) {
    taskfarm::Options o;
    o.journal = path;
    o.chunk_size = 7;
    o.on_error = policy;
    return o;
}

/// A task that fails when `fails(i)` and counts the tasks it completed (on every rank).
struct Task {
    reliab::Executions* completed;
    std::function<bool(std::size_t)> fails;
    long operator()(std::size_t i) const {
        if (fails && fails(i)) throw std::runtime_error("cut short at " + std::to_string(i));
        completed->add();
        return value_of(i);
    }
};

struct Outcome {
    long completed = 0;   // tasks run to completion, all ranks
    bool failed = false;  // threw TaskError
};

/// One "program run": a fresh Farm on the journal, `calls(farm, task)` making its farm calls.
template <class Calls>
Outcome run_program(taskfarm::Options const& options, std::function<bool(std::size_t)> fails, Calls&& calls) {
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    reliab::Executions completed;
    Outcome run;
    try {
        calls(farm, Task{&completed, std::move(fails)});
    } catch (taskfarm::TaskError const&) {
        run.failed = true;
    }
    run.completed = completed.total();
    return run;
}

std::function<bool(std::size_t)> from(std::size_t first_failing) {
    return [first_failing](std::size_t i) { return i >= first_failing; };
}

std::string serial_concat(std::size_t n) {
    std::string s = "<";
    for (std::size_t i = 0; i < n; ++i) s += std::to_string(value_of(i)) + ",";
    return s;
}

// The three kinds of call, each cut short at task 250 and resumed.
TEST(JournalResume, MapGivesSerialResultsAndRerunsOnlyWhatWasNotDone) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("map.journal"));
    std::vector<long> out;
    auto calls = [&](taskfarm::Farm& farm, Task task) { out = farm.map(task, taskfarm::indices(kTasks)); };
    Outcome const first = run_program(options, from(250), calls);
    EXPECT_TRUE(first.failed);
    EXPECT_GT(first.completed, 0);
    Outcome const second = run_program(options, nullptr, calls);
    EXPECT_FALSE(second.failed);
    // Every task the first run completed was journaled (in-flight work is drained before a
    // TaskError), so the second runs exactly the others.
    EXPECT_EQ(second.completed, static_cast<long>(kTasks) - first.completed);
    if (reliab::world_rank() == 0) {
        ASSERT_EQ(out.size(), kTasks);
        for (std::size_t i = 0; i < kTasks; ++i) EXPECT_EQ(out[i], value_of(i)) << i;
    }
}

TEST(JournalResume, ForEachReplaysEveryJournaledTaskOnceAndRunsTheRest) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("for_each.journal"));
    std::map<std::size_t, int> calls_per_task;
    bool values_right = true;
    auto calls = [&](taskfarm::Farm& farm, Task task) {
        calls_per_task.clear();
        farm.for_each(task, taskfarm::indices(kTasks), [&](std::size_t i, long r) {
            ++calls_per_task[i];
            values_right = values_right && r == value_of(i);
        });
    };
    Outcome const first = run_program(options, from(300), calls);
    EXPECT_TRUE(first.failed);
    Outcome const second = run_program(options, nullptr, calls);
    EXPECT_FALSE(second.failed);
    EXPECT_EQ(second.completed, static_cast<long>(kTasks) - first.completed);
    if (reliab::world_rank() == 0) {
        EXPECT_TRUE(values_right);
        ASSERT_EQ(calls_per_task.size(), kTasks);
        for (auto const& [i, n] : calls_per_task) EXPECT_EQ(n, 1) << "task " << i;
    }
}

TEST(JournalResume, MapReduceFoldsJournaledAndNewBlocksInTaskOrder) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("reduce.journal"));
    std::string joined;
    auto calls = [&](taskfarm::Farm& farm, Task task) {
        joined = farm.map_reduce([task](std::size_t i) { return std::to_string(task(i)) + ","; }, std::plus<>{},
                                 taskfarm::indices(kTasks), std::string("<"));
    };
    Outcome const first = run_program(options, from(250), calls);
    EXPECT_TRUE(first.failed);
    Outcome const second = run_program(options, nullptr, calls);
    EXPECT_FALSE(second.failed);
    EXPECT_EQ(second.completed, static_cast<long>(kTasks) - first.completed);
    if (reliab::world_rank() == 0) {
        EXPECT_EQ(joined, serial_concat(kTasks));
    }
}

// collect journals the failed tasks as failed: a resume reruns just them.
TEST(JournalResume, FailedTasksAreJournaledAndOnlyTheyRerun) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("collect.journal"), taskfarm::OnError::collect);
    std::string joined;
    auto calls = [&](taskfarm::Farm& farm, Task task) {
        joined = farm.map_reduce([task](std::size_t i) { return std::to_string(task(i)) + ","; }, std::plus<>{},
                                 taskfarm::indices(kTasks), std::string("<"));
    };
    auto const every_ninth = [](std::size_t i) { return i % 9 == 4; };
    Outcome const first = run_program(options, every_ninth, calls);
    EXPECT_TRUE(first.failed);
    EXPECT_EQ(first.completed, static_cast<long>(kTasks - 67));
    Outcome const second = run_program(options, nullptr, calls);
    EXPECT_FALSE(second.failed);
    EXPECT_EQ(second.completed, 67);
    if (reliab::world_rank() == 0) {
        EXPECT_EQ(joined, serial_concat(kTasks));
    }
}

// Each call of a program has its own section: a complete first call is replayed whole, the
// second resumes, the third (never reached) starts.
TEST(JournalResume, EachCallResumesFromItsOwnSection) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("three.journal"));
    std::vector<long> a;
    long b = 0;
    std::vector<long> c;
    std::vector<long> completed_per_call;
    auto calls = [&](taskfarm::Farm& farm, Task task) {
        completed_per_call.clear();
        auto counted = [&](auto&& call) {
            long const before = task.completed->total();
            call();
            completed_per_call.push_back(task.completed->total() - before);
        };
        counted([&] { a = farm.map(task, taskfarm::indices(200)); });
        counted([&] { b = farm.map_reduce(task, std::plus<>{}, taskfarm::indices(300), 0L); });
        counted([&] { c = farm.map(task, taskfarm::indices(100)); });
    };
    // Tasks >= 250 fail: the first call completes, the second fails.
    Outcome const first = run_program(options, from(250), calls);
    EXPECT_TRUE(first.failed);
    Outcome const second = run_program(options, nullptr, calls);
    EXPECT_FALSE(second.failed);
    ASSERT_EQ(completed_per_call.size(), 3u);
    EXPECT_EQ(completed_per_call[0], 0);                              // replayed whole
    EXPECT_EQ(completed_per_call[1], 300 - (first.completed - 200));  // resumed
    EXPECT_EQ(completed_per_call[2], 100);                            // new
    if (reliab::world_rank() == 0) {
        long expected_b = 0;
        for (std::size_t i = 0; i < 300; ++i) expected_b += value_of(i);
        EXPECT_EQ(b, expected_b);
        for (std::size_t i = 0; i < 200; ++i) EXPECT_EQ(a.at(i), value_of(i));
        for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(c.at(i), value_of(i));
    }
}

// A signal stops the call with Interrupted after collecting the running blocks; the journal then
// holds exactly the tasks Interrupted reports done.
TEST(JournalResume, InterruptedRunResumesExactly) {
    reliab::ScratchDir dir;
    auto options = journaled(dir.file("signal.journal"));
    options.chunk_size = 3;
    std::uint64_t reported_done = 0;
    long completed = 0;
    {
        taskfarm::Farm farm(boost::mpi::communicator(), options);
        reliab::Executions executions;
        try {
            (void)farm.map(
                [&](std::size_t i) {
                    if (i == 200) std::raise(SIGTERM);  // on whichever rank runs it
                    executions.add();
                    return value_of(i);
                },
                taskfarm::indices(20000));
            FAIL() << "expected Interrupted";
        } catch (taskfarm::Interrupted const& e) {
            reported_done = e.tasks_done();
            EXPECT_EQ(e.signal(), SIGTERM);
            EXPECT_NE(std::string(e.what()).find("run again with the same journal to resume"), std::string::npos)
                << e.what();
        }
        completed = executions.total();
    }
    EXPECT_EQ(static_cast<long>(reported_done), completed);
    Outcome const second = run_program(options, nullptr, [](taskfarm::Farm& farm, Task task) {
        auto const out = farm.map(task, taskfarm::indices(20000));
        if (farm.is_root()) {
            for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], value_of(i)) << i;
        }
    });
    EXPECT_EQ(second.completed, 20000 - completed);
}

// ---- Refused journals: the error names what is wrong, and the file is left as it was. ----

template <class Error>
void expect_refused(taskfarm::Options const& options, std::size_t tasks, std::string const& says) {
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    try {
        (void)farm.map([](std::size_t i) { return value_of(i); }, taskfarm::indices(tasks));
        FAIL() << "expected a refused journal";
    } catch (Error const& e) {
        // The root throws the journal's own type; the other ranks learn the text from it.
        EXPECT_TRUE(farm.is_root());
        EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    } catch (taskfarm::Error const& e) {
        EXPECT_FALSE(farm.is_root()) << e.what();
        EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
}

TEST(JournalRefused, OtherWorkIsAMismatchAndTheFileIsUntouched) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("work.journal"));
    (void)run_program(options, nullptr,
                      [](taskfarm::Farm& farm, Task task) { (void)farm.map(task, taskfarm::indices(100)); });
    auto const before = reliab::read_bytes(dir.file("work.journal"));
    expect_refused<taskfarm::JournalMismatchError>(options, 120,
                                                   "task count is 100 in the journal but 120 in this call");
    EXPECT_EQ(reliab::read_bytes(dir.file("work.journal")), before);
}

TEST(JournalRefused, ChangedInputOutsideTheSampleIsCaughtByTheBlockHash) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("inputs.journal"));
    std::vector<int> inputs(kTasks);
    for (std::size_t i = 0; i < kTasks; ++i) inputs[i] = static_cast<int>(i);
    auto square = [](int x) { return long{x} * x; };
    {
        taskfarm::Farm farm(boost::mpi::communicator(), options);
        (void)farm.map(square, inputs);
    }
    inputs[5] = -1;  // task 5 is not among the fingerprint's samples (0, 35, 70, ...)
    auto const before = reliab::read_bytes(dir.file("inputs.journal"));
    taskfarm::Farm farm(boost::mpi::communicator(), options);
    try {
        (void)farm.map(square, inputs);
        FAIL() << "expected JournalMismatchError";
    } catch (taskfarm::JournalMismatchError const& e) {
        EXPECT_TRUE(farm.is_root());
        EXPECT_NE(std::string(e.what()).find("the inputs of tasks [0, 7) differ"), std::string::npos) << e.what();
    } catch (taskfarm::Error const& e) {
        EXPECT_FALSE(farm.is_root()) << e.what();
    }
    EXPECT_EQ(reliab::read_bytes(dir.file("inputs.journal")), before);
}

TEST(JournalRefused, AFileThatIsNotAJournalIsNotTouched) {
    reliab::ScratchDir dir;
    std::vector<char> const text = {'x', '=', '1', '\n'};
    if (reliab::world_rank() == 0) reliab::write_bytes(dir.file("results.csv"), text);
    expect_refused<taskfarm::NotAJournalError>(journaled(dir.file("results.csv")), 10, "not a taskfarm journal");
    if (reliab::world_rank() == 0) {
        EXPECT_EQ(reliab::read_bytes(dir.file("results.csv")), text);
    }
}

TEST(JournalRefused, MissingDirectoryIsNamed) {
    reliab::ScratchDir dir;
    expect_refused<taskfarm::JournalError>(journaled(dir.file("no/such/dir/x.journal")), 10, "cannot create it");
}

// ---- Damage: a torn tail is dropped (its tasks rerun), damage in the middle refused. ----

std::vector<long> complete_run(taskfarm::Options const& options, long* completed) {
    std::vector<long> out;
    Outcome const run = run_program(
        options, nullptr, [&](taskfarm::Farm& farm, Task task) { out = farm.map(task, taskfarm::indices(kTasks)); });
    EXPECT_FALSE(run.failed);
    *completed = run.completed;
    return out;
}

TEST(JournalDamage, TruncatedAtRandomOffsetsResumesExactly) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("cut.journal"));
    long completed = 0;
    (void)complete_run(options, &completed);
    auto const whole = reliab::read_bytes(dir.file("cut.journal"));
    std::mt19937 random(12345);
    for (int trial = 0; trial < 4; ++trial) {
        if (reliab::world_rank() == 0) {
            auto cut = whole;
            // Past the header (well under a quarter of the file), anywhere in the records.
            std::uniform_int_distribution<std::size_t> offset(whole.size() / 4, whole.size() - 1);
            cut.resize(offset(random));
            reliab::write_bytes(dir.file("cut.journal"), cut);
        }
        auto const out = complete_run(options, &completed);
        EXPECT_GT(completed, 0) << "the cut dropped at least one record";
        EXPECT_LT(completed, static_cast<long>(kTasks)) << "the records before the cut were used";
        if (reliab::world_rank() == 0) {
            for (std::size_t i = 0; i < kTasks; ++i) ASSERT_EQ(out.at(i), value_of(i)) << i;
        }
    }
}

TEST(JournalDamage, CorruptLastRecordIsDroppedButCorruptMiddleIsRefused) {
    reliab::ScratchDir dir;
    auto const options = journaled(dir.file("bits.journal"));
    long completed = 0;
    (void)complete_run(options, &completed);
    auto const whole = reliab::read_bytes(dir.file("bits.journal"));

    // A crash mid-write: no seal (the last 32 bytes), and the last block's bytes garbled.
    if (reliab::world_rank() == 0) {
        auto torn = whole;
        torn.resize(torn.size() - 32);
        torn[torn.size() - 3] = static_cast<char>(torn[torn.size() - 3] ^ 0x5a);
        reliab::write_bytes(dir.file("bits.journal"), torn);
    }
    auto const out = complete_run(options, &completed);
    EXPECT_GE(completed, 1);
    EXPECT_LE(completed, 7) << "only the last block reruns";
    if (reliab::world_rank() == 0) {
        for (std::size_t i = 0; i < kTasks; ++i) ASSERT_EQ(out.at(i), value_of(i)) << i;
    }

    // A flipped byte in the middle, with synced records after it: damage, refused and kept.
    if (reliab::world_rank() == 0) {
        auto damaged = whole;
        damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x01);
        reliab::write_bytes(dir.file("bits.journal"), damaged);
    }
    // (Only the root reads: the other ranks could look before it wrote.)
    auto const before = reliab::world_rank() == 0 ? reliab::read_bytes(dir.file("bits.journal")) : std::vector<char>{};
    expect_refused<taskfarm::JournalCorruptError>(options, kTasks, "bits.journal");
    if (reliab::world_rank() == 0) {
        EXPECT_EQ(reliab::read_bytes(dir.file("bits.journal")), before);
    }
}

}  // namespace
