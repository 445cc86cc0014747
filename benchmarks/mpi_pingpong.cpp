/// @file
/// @brief The physical limit: a raw MPI ping-pong between ranks 0 and 1 with the plain C API.
/// One-way time = round trip / 2; 8 B gives the latency, 1 MiB the bandwidth.
///
///   mpirun -n 2 mpi_pingpong [--reps R] [--quick]
#include <mpi.h>

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
    MPI_Finalize();
    return 0;
}
