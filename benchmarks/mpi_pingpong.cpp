/// @file
/// @brief The physical limit: a raw MPI ping-pong between ranks 0 and 1 with the plain C API.
/// One-way time = round trip / 2; 8 B gives the latency, 1 MiB the bandwidth. Then the payload
/// benchmark's own work through raw MPI, its fair baseline: rank 1 fills 1 MiB results (as the
/// payload tasks do) and sends them one by one; rank 0 receives each into one reused buffer
/// (what for_each could reach), or into a fresh output of all of them, allocated and zeroed in
/// the timed part (what map could reach: the first touch of fresh pages is part of it).
///
///   mpirun -n 2 mpi_pingpong [--reps R] [--quick]
#include <mpi.h>

#include <cstring>
#include <iostream>
#include <vector>

#include <boost/program_options.hpp>

#include "support/bench_record.hpp"

namespace {

/// Seconds for `iterations` round trips of `bytes` between ranks 0 and 1 (measured on rank 0).
double round_trips(std::vector<char>& buffer, int bytes, int iterations, int rank) {
    MPI_Barrier(MPI_COMM_WORLD);
    double const start = MPI_Wtime();
    for (int i = 0; i < iterations; ++i) {
        if (rank == 0) {
            MPI_Send(buffer.data(), bytes, MPI_CHAR, 1, 0, MPI_COMM_WORLD);
            MPI_Recv(buffer.data(), bytes, MPI_CHAR, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == 1) {
            MPI_Recv(buffer.data(), bytes, MPI_CHAR, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(buffer.data(), bytes, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
        }
    }
    return MPI_Wtime() - start;
}

/// Seconds for rank 1 to fill and send `count` results of 1 MiB that rank 0 receives (measured on
/// rank 0). `fresh`: rank 0 receives result i at offset i of a new zeroed output of count MiB.
double stream(int count, bool fresh, int rank) {
    int const mib = 1 << 20;
    std::vector<char> buffer(mib, 'x');
    MPI_Barrier(MPI_COMM_WORLD);
    double const start = MPI_Wtime();
    if (rank == 0) {
        std::vector<char> output;
        if (fresh) output.resize(static_cast<std::size_t>(count) * mib);
        for (int i = 0; i < count; ++i) {
            char* into = fresh ? output.data() + static_cast<std::size_t>(i) * mib : buffer.data();
            MPI_Recv(into, mib, MPI_CHAR, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            char const fill = static_cast<char>(i & 0x7f);
            if (into[0] != fill || into[mib / 2] != fill || into[mib - 1] != fill) MPI_Abort(MPI_COMM_WORLD, 3);
        }
    } else if (rank == 1) {
        for (int i = 0; i < count; ++i) {
            std::memset(buffer.data(), i & 0x7f, static_cast<std::size_t>(mib));
            MPI_Send(buffer.data(), mib, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
        }
    }
    return MPI_Wtime() - start;
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    int size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    namespace po = boost::program_options;
    int reps = 5;
    bool quick = false;
    po::options_description desc("mpi_pingpong options");
    // clang-format off
    desc.add_options()("reps", po::value(&reps)->default_value(5), "repetitions")  //
        ("quick", po::bool_switch(&quick), "few iterations (smoke run)");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
    } catch (po::error const& e) {
        if (rank == 0) std::cerr << "mpi_pingpong: " << e.what() << "\n" << desc << "\n";
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    if (size < 2) {
        if (rank == 0) std::fprintf(stderr, "mpi_pingpong needs 2 ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }

    struct Case {
        int bytes;
        int iterations;
        char const* name;
    };
    Case const cases[] = {{8, quick ? 2000 : 100000, "latency_8B"}, {1 << 20, quick ? 20 : 1000, "bandwidth_1MiB"}};
    std::vector<char> buffer(1 << 20, 'x');
    for (Case const& c : cases) {
        round_trips(buffer, c.bytes, c.iterations / 10, rank);  // warm up: connections, page faults
        for (int rep = 0; rep < reps; ++rep) {
            double const seconds = round_trips(buffer, c.bytes, c.iterations, rank);
            double const one_way = seconds / (2.0 * c.iterations);
            if (rank == 0) {
                bench::Record("pingpong")
                    .text("impl", "raw_mpi")
                    .text("config", c.name)
                    .number("rep", rep)
                    .number("bytes", c.bytes)
                    .number("one_way_us", one_way * 1e6)
                    .number("round_trip_us", 2 * one_way * 1e6)
                    .number("gb_per_s", c.bytes / one_way / 1e9)
                    .print();
            }
        }
    }
    // The payload benchmark's tasks through raw MPI (see the top of the file).
    for (bool const fresh : {false, true}) {
        int const count = quick ? 8 : 256;
        stream(count / 8, fresh, rank);  // warm up
        for (int rep = 0; rep < reps; ++rep) {
            double const seconds = stream(count, fresh, rank);
            if (rank == 0) {
                bench::Record("pingpong")
                    .text("impl", "raw_mpi")
                    .text("config", fresh ? "stream_1MiB_into_fresh_output" : "stream_1MiB")
                    .number("rep", rep)
                    .number("bytes", 1 << 20)
                    .number("results", count)
                    .number("gb_per_s", static_cast<double>(count) * (1 << 20) / seconds / 1e9)
                    .print();
            }
        }
    }
    MPI_Finalize();
    return 0;
}
