#include "trace/trace_gather.hpp"

#include <climits>
#include <string>
#include <vector>

#include <taskfarm/errors.hpp>

#include "engine/transport_collectives.hpp"
#include "trace/trace_codec.hpp"

namespace taskfarm::detail {

std::optional<CallTrace> gather_call_trace(MPI_Comm comm, int root, TraceRecorder& recorder, CallTrace header) {
    int const rank = comm_rank(comm);
    int const size = comm_size(comm);

    // Every rank reads its clock as it leaves the same barrier: the differences are the offsets.
    barrier(comm);
    double const at_barrier = recorder.now();
    RankTrace mine = recorder.finish();
    std::vector<std::byte> const bytes = encode_rank_trace(mine);
    // Gatherv counts are ints: a trace that big (tens of millions of events) is cut to its counters.
    int const length = bytes.size() > static_cast<std::size_t>(INT_MAX) / 2 ? -1 : static_cast<int>(bytes.size());

    std::vector<int> lengths = gather_int(comm, root, length);
    std::vector<double> const clocks = gather_double(comm, root, at_barrier);

    std::vector<int> offsets(lengths.size(), 0);
    int total = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        offsets[i] = total;
        if (lengths[i] > 0 && total <= INT_MAX - lengths[i]) total += lengths[i];
        else lengths[i] = 0;  // too big to gather: that rank's trace is lost, the others are kept
    }
    // What this rank sends must match what the root expects of it.
    int const send = scatter_int(comm, root, lengths);
    std::vector<std::byte> const all = gatherv_bytes(comm, root, std::span(bytes).first(static_cast<std::size_t>(send)),
                                                     lengths, offsets, total);
    if (rank != root) return std::nullopt;

    std::vector<RankTrace> ranks;
    for (int i = 0; i < size; ++i) {
        auto const at = static_cast<std::size_t>(i);
        if (lengths[at] == 0) continue;
        RankTrace trace = decode_rank_trace(
            std::span(all).subspan(static_cast<std::size_t>(offsets[at]), static_cast<std::size_t>(lengths[at])));
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
