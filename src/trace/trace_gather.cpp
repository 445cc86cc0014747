#include "trace/trace_gather.hpp"

#include <climits>
#include <string>
#include <vector>

#include <taskfarm/errors.hpp>

#include "trace/trace_codec.hpp"

namespace taskfarm::detail {

std::optional<CallTrace> gather_call_trace(MPI_Comm comm, int root, TraceRecorder& recorder, CallTrace header) {
    int rank = 0;
    int size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);

    // Every rank reads its clock as it leaves the same barrier: the differences are the offsets.
    MPI_Barrier(comm);
    double const at_barrier = recorder.now();
    RankTrace mine = recorder.finish();
    std::vector<std::byte> const bytes = encode_rank_trace(mine);
    // Gatherv counts are ints: a trace that big (tens of millions of events) is cut to its counters.
    int const length = bytes.size() > static_cast<std::size_t>(INT_MAX) / 2 ? -1 : static_cast<int>(bytes.size());

    std::vector<int> lengths(rank == root ? static_cast<std::size_t>(size) : 0);
    std::vector<double> clocks(lengths.size());
    MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, root, comm);
    MPI_Gather(&at_barrier, 1, MPI_DOUBLE, clocks.data(), 1, MPI_DOUBLE, root, comm);

    std::vector<int> offsets(lengths.size(), 0);
    int total = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        offsets[i] = total;
        if (lengths[i] > 0 && total <= INT_MAX - lengths[i]) total += lengths[i];
        else lengths[i] = 0;  // too big to gather: that rank's trace is lost, the others are kept
    }
    // What this rank sends must match what the root expects of it.
    int send = length < 0 ? 0 : length;
    MPI_Scatter(lengths.data(), 1, MPI_INT, &send, 1, MPI_INT, root, comm);
    std::vector<std::byte> all(static_cast<std::size_t>(total));
    MPI_Gatherv(bytes.data(), send, MPI_BYTE, all.data(), lengths.data(), offsets.data(), MPI_BYTE, root, comm);
    if (rank != root) return std::nullopt;

    std::vector<RankTrace> ranks;
    for (int i = 0; i < size; ++i) {
        auto const at = static_cast<std::size_t>(i);
        if (lengths[at] == 0) continue;
        RankTrace trace = decode_rank_trace(std::span(all).subspan(static_cast<std::size_t>(offsets[at]),
                                                                    static_cast<std::size_t>(lengths[at])));
        if (trace.rank != i)
            throw Error("taskfarm: the trace of rank " + std::to_string(i) + " says it is rank " +
                        std::to_string(trace.rank));
        trace.clock_offset = clocks[static_cast<std::size_t>(root)] - clocks[at];
        ranks.push_back(std::move(trace));
    }
    header.root = root;
    if (header.wall_seconds <= 0) header.wall_seconds = mine.seconds;
    return merge_call(std::move(header), std::move(ranks));
}

}  // namespace taskfarm::detail
