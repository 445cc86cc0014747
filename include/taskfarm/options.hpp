/// @file
/// @brief How a Farm schedules work (chunk size, threads per rank, root rank) and how it survives
/// failures (journal, retries, failure policy, signals).
///
/// @code{.cpp}
/// taskfarm::Options opt;
/// opt.chunk_size = 16;                 // fixed chunks of 16 tasks (0, the default, adapts to task durations)
/// opt.threads = 4;                     // OpenMP threads per rank (0: OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else 1)
/// opt.journal = "sweep.journal";       // results survive a crash; rerun to resume (docs/RESUMING.md)
/// opt.retries = 2;                     // a task that throws runs up to 3 times, on another rank where there is one
/// opt.on_error = taskfarm::OnError::collect;  // finish the rest, then throw one TaskError listing every failure
/// taskfarm::Farm farm(boost::mpi::communicator(), opt);
/// @endcode
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <taskfarm/progress.hpp>

namespace taskfarm {

/// What a farm call does once a task has failed for good (its retries used up).
enum class OnError {
    stop,     ///< hand out no more work, drain what is in flight, throw TaskError
    collect,  ///< run everything else, then throw one TaskError listing every failed task
};

struct Options {
    /// Tasks per chunk. 0 (the default) is automatic: chunks aim at `chunk_seconds` of work on the
    /// rank that runs them and shrink as the remaining work runs out, so every rank ends together.
    std::size_t chunk_size = 0;

    /// Target duration of one chunk when `chunk_size` is 0, in seconds.
    double chunk_seconds = 0.005;

    /// OpenMP threads per rank. 0: `OMP_NUM_THREADS`, else `SLURM_CPUS_PER_TASK`, else 1.
    int threads = 0;

    /// The rank that reads the inputs and receives the results.
    int root = 0;

    /// Whether the root runs tasks on its own threads between serving the workers. On a few cores
    /// this is a whole core of throughput; on hundreds of ranks the root may be better left to
    /// dispatch only.
    bool root_computes = true;

    /// The root's main thread only serves the workers, and `threads` other threads run the root's
    /// tasks. For long tasks (minutes: the `taskfarm` command sets it): otherwise the root answers
    /// a worker only between tasks of its own, and a worker whose prefetched tasks end sooner
    /// waits. Costs a mostly sleeping extra thread on the root; off by default, since with short
    /// tasks the main thread polls between them at no cost.
    bool root_main_thread_serves = false;

    /// Chunks in flight per worker thread (running or queued), so it never waits a round trip for
    /// work. 4 covers a root whose main thread is inside a long task of its own (it serves between
    /// tasks): with 2, workers ran dry behind the root's long lognormal tasks (95 % efficiency
    /// against 97.8 % with 4, docs/BENCHMARKS.md).
    int prefetch = 4;

    /// A two-level hierarchy (docs/SCALING.md): ranks in groups, each led by a sub-master that
    /// takes large blocks from the root and farms them out again inside its group (and computes
    /// too), so the root serves a few sub-masters instead of every rank. 1: flat (no groups).
    /// n >= 2: groups of n ranks (the root is always alone in its own). 0 (automatic): groups
    /// once the farm's ranks have kAutomaticGroupThreads threads or more in all, else flat; a
    /// group is a node's ranks (MPI_Comm_split_type), or kAutomaticGroupSize consecutive ranks
    /// where every node holds one rank.
    int group_size = 0;
    /// Below this many threads in all one root serves every rank directly: at its measured cost
    /// per block (about 0.9 us) one root keeps up with about 3 000 threads of 5 ms blocks, and
    /// under SimGrid the hierarchy overtakes it between 3 072 and 4 096 threads (docs/SCALING.md).
    static constexpr int kAutomaticGroupThreads = 4096;
    /// Ranks per automatic group when every node holds one rank (one rank of many threads per node).
    static constexpr int kAutomaticGroupSize = 8;

    /// Journal file (on the root). Empty: none. With one, every completed block is recorded, and
    /// running the same program again with the same journal skips what is recorded. The n-th farm
    /// call of a Farm (from 0) uses `journal` for n = 0 and `journal.n` after. See
    /// docs/RESUMING.md for what is durable when.
    std::string journal;

    /// The journal is forced to disk (fdatasync) after this many blocks, at least 1.
    std::uint64_t journal_sync_blocks = 1000;

    /// ... or once this many seconds passed since the last sync (>= 0; 0: after every block).
    double journal_sync_seconds = 1.0;

    /// A run that finds the journal locked by another process (a killed job's ranks may hold it for
    /// a few seconds) waits this many seconds for it, saying so on stderr, before it refuses. >= 0.
    double journal_lock_wait_seconds = 30.0;

    /// How many times a task that throws is run again (on another rank where there is one) before
    /// it counts as failed. 0 to 1000.
    int retries = 0;

    /// What a call does once a task failed for good.
    OnError on_error = OnError::stop;

    /// Whether the farm catches SIGTERM, SIGINT and SIGUSR1 (on any rank) from its construction to
    /// its destruction. A signal during a call stops handing out work, collects what is in flight
    /// for at most `interrupt_grace_seconds`, syncs the journal and throws taskfarm::Interrupted on
    /// every rank. A signal between calls is held: the next call throws Interrupted before it runs
    /// a task. When the farm is destroyed the previous handlers come back, and a signal still held
    /// is raised again for them. Set false where the program handles these signals itself.
    bool handle_signals = true;

    /// How long a farm call waits for every rank to join it, in seconds (0: for ever). Farm calls
    /// are collective: a rank that skips one (or makes it much later) would leave the others
    /// waiting with no message. Past this time every rank that did join throws UsageError naming
    /// the ranks that did not. Raise it where ranks do long work of their own between calls.
    double join_timeout_seconds = 60.0;

    /// After a signal, how long the root waits for the chunks in flight before giving up on them
    /// (they then rerun on resume). >= 0.
    double interrupt_grace_seconds = 30.0;

    /// A Chrome trace-event JSON file per farm call (`trace`, then `trace.1`, ...): a track per rank
    /// and thread, a slice per chunk, dispatch and wait events; opens in Perfetto, and
    /// `taskfarm report FILE -o timeline.svg` draws it. Empty: no trace.
    std::string trace;

    /// Called on the root as tasks complete (at most 10 times a second, and once at the end), e.g.
    /// `taskfarm::stderr_progress()`. Empty: no progress.
    ProgressCallback progress;

    /// Gather per-rank statistics at the end of every call (`Farm::statistics()` on the root). It
    /// costs one barrier and one gather of a few hundred bytes per rank and call.
    bool statistics = true;
};

}  // namespace taskfarm
