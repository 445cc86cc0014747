// Resuming with padded inputs and results (issue 9). The issue's program, a sweep over
//   struct Job { int id; double x; serialize }
// with a journal, was refused on every resume: its inputs were hashed as object bytes, padding
// included. Here each run builds its inputs in memory filled with different garbage (as a fresh
// process would), so a hash over padding cannot match between runs: the first run is cut short,
// the second must resume exactly and run only what the first did not, a third after completion
// must run nothing. A raw input type that may hold padding is refused under a journal.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "../mpi/reliab_support.hpp"

namespace {

constexpr std::size_t kTasks = 300;
constexpr std::size_t kCut = 120;  // the first run's tasks throw from this index on

struct Job {  // the issue's example: 4 bytes of padding after id
    int id = 0;
    double x = 0;
    template <class Ar>
    void serialize(Ar& ar, unsigned) {
        // clang-format off
        ar & id & x;
        // clang-format on
    }
};

struct RawPadded {  // trivially copyable, no serialize(): raw bytes, padding included
    int id = 0;
    double x = 0;
};

struct RawUnpadded {  // raw bytes, and every byte is value
    long id = 0;
    double x = 0;
};

struct PaddedResult {  // a padded result that travels through its serialize()
    char tag = 0;
    double value = 0;
    template <class Ar>
    void serialize(Ar& ar, unsigned) {
        // clang-format off
        ar & tag & value;
        // clang-format on
    }
};

struct PaddedSum {  // a padded map_reduce accumulator
    int count = 0;
    double sum = 0;
    template <class Ar>
    void serialize(Ar& ar, unsigned) {
        // clang-format off
        ar & count & sum;
        // clang-format on
    }
};

double x_of(std::size_t i) { return 0.25 * static_cast<double>(i % 37); }
double result_of(int id, double x) { return id * 3 + x; }

/// kTasks inputs on the root (none elsewhere), built in storage first filled with `garbage`: the
/// fields are assigned one by one, so the padding keeps the garbage.
template <class T>
class InputsOverGarbage {
public:
    explicit InputsOverGarbage(unsigned char garbage) {
        if (reliab::world_rank() != 0) return;
        storage_ = std::make_unique<unsigned char[]>(kTasks * sizeof(T) + alignof(T));
        void* at = storage_.get();
        std::size_t space = kTasks * sizeof(T) + alignof(T);
        auto* first = static_cast<T*>(std::align(alignof(T), kTasks * sizeof(T), at, space));
        std::memset(static_cast<void*>(first), garbage, kTasks * sizeof(T));
        for (std::size_t i = 0; i < kTasks; ++i) {
            T* job = ::new (static_cast<void*>(first + i)) T;  // default-initialized: padding untouched
            job->id = static_cast<decltype(job->id)>(i);
            job->x = x_of(i);
        }
        view_ = std::span<T const>(first, kTasks);
    }
    [[nodiscard]] std::span<T const> view() const { return view_; }
    /// The object bytes of input i, padding included.
    [[nodiscard]] std::vector<unsigned char> bytes(std::size_t i) const {
        auto const* p = reinterpret_cast<unsigned char const*>(&view_[i]);
        return {p, p + sizeof(T)};
    }

private:
    std::unique_ptr<unsigned char[]> storage_;
    std::span<T const> view_;
};

taskfarm::Options journaled(std::string const& path) {
    taskfarm::Options o;
    o.journal = path;
    o.chunk_size = 7;
    return o;
}

struct RunOutcome {
    long completed = 0;   // tasks run to completion, all ranks
    bool failed = false;  // threw TaskError
};

/// One "program run" on a fresh Farm: `call(farm, task_done)` makes the farm call; its tasks call
/// `task_done(i)`, which throws from kCut on when `cut` and counts the task otherwise.
template <class Call>
RunOutcome run_program(std::string const& journal, bool cut, Call&& call) {
    taskfarm::Farm farm(boost::mpi::communicator(), journaled(journal));
    auto completed = std::make_shared<reliab::Executions>();
    auto task_done = [completed, cut](std::size_t i) {
        if (cut && i >= kCut) throw std::runtime_error("cut short at " + std::to_string(i));
        completed->add();
    };
    RunOutcome run;
    try {
        call(farm, task_done);
    } catch (taskfarm::TaskError const&) {
        run.failed = true;
    }
    run.completed = completed->total();
    return run;
}

}  // namespace

TEST(PaddedResume, TheIssuesJobStructResumesExactlyWhateverItsPaddingHolds) {
    reliab::ScratchDir dir;
    std::string const journal = dir.file("sweep.journal");
    std::vector<double> out;
    auto sweep = [&](unsigned char garbage, bool cut) {
        InputsOverGarbage<Job> const inputs(garbage);
        return run_program(journal, cut, [&](taskfarm::Farm& farm, auto task_done) {
            out = farm.map(
                [task_done](Job const& job) {
                    task_done(static_cast<std::size_t>(job.id));
                    return result_of(job.id, job.x);
                },
                inputs.view());
        });
    };
    // The test bites only if the padding really differs between runs.
    if (reliab::world_rank() == 0) {
        ASSERT_NE(InputsOverGarbage<Job>(0x11).bytes(5), InputsOverGarbage<Job>(0xee).bytes(5));
    }

    RunOutcome const first = sweep(0x11, true);
    EXPECT_TRUE(first.failed);
    EXPECT_GT(first.completed, 0);
    RunOutcome const second = sweep(0xee, false);
    EXPECT_FALSE(second.failed);
    EXPECT_EQ(second.completed, static_cast<long>(kTasks) - first.completed);
    if (reliab::world_rank() == 0) {
        ASSERT_EQ(out.size(), kTasks);
        for (std::size_t i = 0; i < kTasks; ++i) EXPECT_EQ(out[i], result_of(static_cast<int>(i), x_of(i))) << i;
    }
    // The issue: refused even after a run that had finished. Now everything is replayed.
    RunOutcome const third = sweep(0x5a, false);
    EXPECT_EQ(third.completed, 0);
    if (reliab::world_rank() == 0) {
        for (std::size_t i = 0; i < kTasks; ++i) EXPECT_EQ(out[i], result_of(static_cast<int>(i), x_of(i))) << i;
    }
}

TEST(PaddedResume, UnpaddedRawStructsResumeExactly) {
    reliab::ScratchDir dir;
    std::string const journal = dir.file("raw.journal");
    std::vector<double> out;
    auto sweep = [&](unsigned char garbage, bool cut) {
        InputsOverGarbage<RawUnpadded> const inputs(garbage);
        return run_program(journal, cut, [&](taskfarm::Farm& farm, auto task_done) {
            out = farm.map(
                [task_done](RawUnpadded const& job) {
                    task_done(static_cast<std::size_t>(job.id));
                    return result_of(static_cast<int>(job.id), job.x);
                },
                inputs.view());
        });
    };
    RunOutcome const first = sweep(0x11, true);
    RunOutcome const second = sweep(0xee, false);
    EXPECT_TRUE(first.failed);
    EXPECT_EQ(second.completed, static_cast<long>(kTasks) - first.completed);
    if (reliab::world_rank() == 0) {
        for (std::size_t i = 0; i < kTasks; ++i) EXPECT_EQ(out[i], result_of(static_cast<int>(i), x_of(i))) << i;
    }
}

TEST(PaddedResume, PaddedResultsAndAccumulatorsResumeExactly) {
    reliab::ScratchDir dir;
    std::vector<PaddedResult> archived;
    std::vector<RawPadded> raw;
    PaddedSum folded;
    int cut_calls = 0;
    // Three journaled calls, each cut short in the first run (its TaskError caught here, so that
    // every call's section holds part of its work).
    auto calls = [&](taskfarm::Farm& farm, auto task_done) {
        cut_calls = 0;
        auto each = [&](auto&& call) {
            try {
                call();
            } catch (taskfarm::TaskError const&) {
                ++cut_calls;
            }
        };
        each([&] {
            archived = farm.map(
                [task_done](std::size_t i) {
                    task_done(i);
                    return PaddedResult{static_cast<char>('a' + i % 26), x_of(i)};
                },
                taskfarm::indices(kTasks));
        });
        each([&] {
            raw = farm.map(
                [task_done](std::size_t i) {
                    task_done(i);
                    return RawPadded{static_cast<int>(i), x_of(i)};
                },
                taskfarm::indices(kTasks));
        });
        each([&] {
            folded = farm.map_reduce(
                [task_done](std::size_t i) {
                    task_done(i);
                    return PaddedSum{1, x_of(i)};
                },
                [](PaddedSum a, PaddedSum const& b) {
                    return PaddedSum{a.count + b.count, a.sum + b.sum};
                },
                taskfarm::indices(kTasks), PaddedSum{});
        });
    };
    RunOutcome const first = run_program(dir.file("results.journal"), true, calls);
    EXPECT_EQ(cut_calls, 3);
    RunOutcome const second = run_program(dir.file("results.journal"), false, calls);
    EXPECT_EQ(cut_calls, 0);
    EXPECT_EQ(second.completed, 3 * static_cast<long>(kTasks) - first.completed);
    if (reliab::world_rank() == 0) {
        ASSERT_EQ(archived.size(), kTasks);
        ASSERT_EQ(raw.size(), kTasks);
        double sum = 0;
        for (std::size_t i = 0; i < kTasks; ++i) {
            EXPECT_EQ(archived[i].tag, static_cast<char>('a' + i % 26)) << i;
            EXPECT_EQ(archived[i].value, x_of(i)) << i;
            EXPECT_EQ(raw[i].id, static_cast<int>(i));
            EXPECT_EQ(raw[i].x, x_of(i));
            sum += x_of(i);  // quarters of small integers: exact in any order
        }
        EXPECT_EQ(folded.count, static_cast<int>(kTasks));
        EXPECT_EQ(folded.sum, sum);
    }
}

TEST(PaddedResume, RawInputsThatMayHavePaddingAreRefusedUnderAJournal) {
    reliab::ScratchDir dir;
    InputsOverGarbage<RawPadded> const inputs(0x11);
    auto task = [](RawPadded const& job) { return result_of(job.id, job.x); };
    {
        taskfarm::Farm farm(boost::mpi::communicator(), journaled(dir.file("refused.journal")));
        try {
            (void)farm.map(task, inputs.view());
            ADD_FAILURE() << "no UsageError";
        } catch (taskfarm::UsageError const& e) {  // on every rank, before any task ran
            std::string const what = e.what();
            EXPECT_NE(what.find("Options.journal is set, but the input type"), std::string::npos) << what;
            EXPECT_NE(what.find("RawPadded"), std::string::npos) << what;
            EXPECT_NE(what.find("may hold padding"), std::string::npos) << what;
            EXPECT_NE(what.find("serialize()"), std::string::npos) << what;
        }
        if (reliab::world_rank() == 0) {
            EXPECT_FALSE(std::filesystem::exists(dir.file("refused.journal")));
        }
    }
    // Without a journal nothing is hashed, and the raw bytes are the fast path.
    taskfarm::Farm farm(boost::mpi::communicator(), taskfarm::Options{});
    auto const out = farm.map(task, inputs.view());
    if (reliab::world_rank() == 0) {
        for (std::size_t i = 0; i < kTasks; ++i) EXPECT_EQ(out[i], result_of(static_cast<int>(i), x_of(i))) << i;
    }
}
