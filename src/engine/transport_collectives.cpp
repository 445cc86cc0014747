#include "engine/transport_collectives.hpp"

#include <algorithm>
#include <climits>

#include <taskfarm/errors.hpp>

namespace taskfarm::detail {

void check_mpi(int rc, char const* routine) {
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (MPI_Error_string(rc, text, &length) != MPI_SUCCESS) length = 0;
    throw Error(std::string("taskfarm: ") + routine + " failed: " +
                (length > 0 ? std::string(text, static_cast<std::size_t>(length)) : "error " + std::to_string(rc)));
}

MPI_Comm duplicate_comm(MPI_Comm comm) {
    MPI_Comm dup = MPI_COMM_NULL;
    check_mpi(MPI_Comm_dup(comm, &dup), "MPI_Comm_dup");
    return dup;
}

void free_comm(MPI_Comm& comm) noexcept {
    if (comm != MPI_COMM_NULL) MPI_Comm_free(&comm);
}

int comm_rank(MPI_Comm comm) {
    int rank = 0;
    check_mpi(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
    return rank;
}

int comm_size(MPI_Comm comm) {
    int size = 0;
    check_mpi(MPI_Comm_size(comm, &size), "MPI_Comm_size");
    return size;
}

void barrier(MPI_Comm comm) { check_mpi(MPI_Barrier(comm), "MPI_Barrier"); }

std::vector<int> all_gather_ints(MPI_Comm comm, std::span<int const> mine) {
    std::vector<int> all(mine.size() * static_cast<std::size_t>(comm_size(comm)));
    check_mpi(MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_INT, all.data(),
                            static_cast<int>(mine.size()), MPI_INT, comm),
              "MPI_Allgather");
    return all;
}

std::vector<std::uint64_t> all_gather_u64(MPI_Comm comm, std::uint64_t mine) {
    std::vector<std::uint64_t> all(static_cast<std::size_t>(comm_size(comm)));
    check_mpi(MPI_Allgather(&mine, 1, MPI_UINT64_T, all.data(), 1, MPI_UINT64_T, comm), "MPI_Allgather");
    return all;
}

std::vector<std::string> all_gather_strings(MPI_Comm comm, std::string const& mine) {
    // Short texts (program descriptions): cut at 64 KiB so the counts stay small ints.
    int const length = static_cast<int>(std::min<std::size_t>(mine.size(), 1 << 16));
    std::vector<int> const lengths = all_gather_ints(comm, std::span<int const>(&length, 1));
    std::vector<int> offsets(lengths.size(), 0);
    int total = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
        offsets[r] = total;
        total += lengths[r];
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    check_mpi(MPI_Allgatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, comm),
              "MPI_Allgatherv");
    std::vector<std::string> out;
    out.reserve(lengths.size());
    for (std::size_t r = 0; r < lengths.size(); ++r)
        out.push_back(all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
    return out;
}

void broadcast_bytes(MPI_Comm comm, int root, Bytes& bytes) {
    std::uint64_t size = bytes.size();
    check_mpi(MPI_Bcast(&size, 1, MPI_UINT64_T, root, comm), "MPI_Bcast");
    bytes.resize(size);
    // MPI counts are ints: large values go in pieces of 1 GiB.
    constexpr std::uint64_t piece = std::uint64_t{1} << 30;
    for (std::uint64_t at = 0; at < size; at += piece) {
        int const count = static_cast<int>(std::min(piece, size - at));
        check_mpi(MPI_Bcast(bytes.data() + at, count, MPI_BYTE, root, comm), "MPI_Bcast");
    }
}

std::vector<int> gather_int(MPI_Comm comm, int root, int mine) {
    std::vector<int> all(comm_rank(comm) == root ? static_cast<std::size_t>(comm_size(comm)) : 0);
    check_mpi(MPI_Gather(&mine, 1, MPI_INT, all.data(), 1, MPI_INT, root, comm), "MPI_Gather");
    return all;
}

std::vector<double> gather_double(MPI_Comm comm, int root, double mine) {
    std::vector<double> all(comm_rank(comm) == root ? static_cast<std::size_t>(comm_size(comm)) : 0);
    check_mpi(MPI_Gather(&mine, 1, MPI_DOUBLE, all.data(), 1, MPI_DOUBLE, root, comm), "MPI_Gather");
    return all;
}

int scatter_int(MPI_Comm comm, int root, std::vector<int> const& values) {
    int mine = 0;
    check_mpi(MPI_Scatter(values.data(), 1, MPI_INT, &mine, 1, MPI_INT, root, comm), "MPI_Scatter");
    return mine;
}

std::vector<std::byte> gatherv_bytes(MPI_Comm comm, int root, std::span<std::byte const> mine,
                                     std::vector<int> const& lengths, std::vector<int> const& offsets, int total) {
    bool const is_root = comm_rank(comm) == root;
    std::vector<std::byte> all(is_root ? static_cast<std::size_t>(total) : 0);
    check_mpi(MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), MPI_BYTE, all.data(), lengths.data(),
                          offsets.data(), MPI_BYTE, root, comm),
              "MPI_Gatherv");
    return all;
}

}  // namespace taskfarm::detail
