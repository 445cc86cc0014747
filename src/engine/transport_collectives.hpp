// The engine's collective MPI calls (set-up, broadcast, the trace gather), next to transport.*'s
// point-to-point ones: every MPI call of src/ outside environment.cpp is in these two file pairs.
// Each call's return code is checked: a failure throws taskfarm::Error naming the MPI routine and
// MPI_Error_string's text (under MPI_ERRORS_RETURN; the default handler aborts first).
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <taskfarm/detail/codec.hpp>

namespace taskfarm::detail {

/// Throws taskfarm::Error("taskfarm: <routine> failed: <MPI's text>") unless rc is MPI_SUCCESS.
void check_mpi(int rc, char const* routine);

/// A duplicate of `comm` (collective), the caller's to free.
[[nodiscard]] MPI_Comm duplicate_comm(MPI_Comm comm);
/// Frees a communicator (collective); MPI_COMM_NULL is left alone. Never throws: for clean-up.
void free_comm(MPI_Comm& comm) noexcept;

[[nodiscard]] int comm_rank(MPI_Comm comm);
[[nodiscard]] int comm_size(MPI_Comm comm);
void barrier(MPI_Comm comm);

/// Every rank's `mine` (the same length on every rank), rank after rank.
[[nodiscard]] std::vector<int> all_gather_ints(MPI_Comm comm, std::span<int const> mine);
[[nodiscard]] std::vector<std::uint64_t> all_gather_u64(MPI_Comm comm, std::uint64_t mine);
[[nodiscard]] std::vector<std::string> all_gather_strings(MPI_Comm comm, std::string const& mine);

/// `bytes` from `root` on every rank (resized there), in pieces of at most 1 GiB.
void broadcast_bytes(MPI_Comm comm, int root, Bytes& bytes);

/// Root: every rank's value (other ranks: empty).
[[nodiscard]] std::vector<int> gather_int(MPI_Comm comm, int root, int mine);
[[nodiscard]] std::vector<double> gather_double(MPI_Comm comm, int root, double mine);
/// Rank r gets `values[r]` of the root's `values` (read on the root only).
[[nodiscard]] int scatter_int(MPI_Comm comm, int root, std::vector<int> const& values);
/// Root: rank r's `mine` at `offsets[r]` (lengths[r] bytes) of a buffer of `total` bytes; other
/// ranks: empty. `lengths` and `offsets` are read on the root only.
[[nodiscard]] std::vector<std::byte> gatherv_bytes(MPI_Comm comm, int root, std::span<std::byte const> mine,
                                                   std::vector<int> const& lengths, std::vector<int> const& offsets,
                                                   int total);

}  // namespace taskfarm::detail
