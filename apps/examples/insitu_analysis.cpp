// In-situ analysis beside a running simulation, in a program that owns MPI.
//
// The first half of the ranks advance a model (periodic 1-D heat diffusion, decomposed over them
// with halo exchanges); every few steps they gather a snapshot and send it to the other half,
// which analyses it with a taskfarm Farm on its own communicator: statistics of every window of
// the field, farmed over the analysis ranks. The program initializes and finalizes MPI itself,
// and its own messages use tag 101, the farm's internal block tag: the farm works on a duplicate
// communicator, so neither side can take the other's messages.
//
// Each snapshot's farmed statistics are checked against the same analysis run serially, and the
// total heat against the initial one (diffusion conserves it). Exit status 0 when all checks pass.
//
//   mpirun -np 4 insitu_analysis [--cells N] [--steps N] [--interval N] [--windows N]
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/mpi/collectives/broadcast.hpp>
#include <boost/mpi/communicator.hpp>

#include <taskfarm/taskfarm.hpp>

namespace {

constexpr int kSnapshotTag = 101;  // deliberately the farm's own internal tag

struct Settings {
    int cells = 4096;
    int steps = 400;
    int interval = 50;
    int windows = 64;
};

Settings parse(int argc, char** argv) {
    Settings s;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string const flag = argv[i];
        int const value = std::atoi(argv[i + 1]);
        if (flag == "--cells") s.cells = value;
        else if (flag == "--steps") s.steps = value;
        else if (flag == "--interval") s.interval = value;
        else if (flag == "--windows") s.windows = value;
    }
    return s;
}

// ---------------------------------------------------------------- the model (simulation ranks)

double initial_temperature(int cell, int cells) {
    double const x = static_cast<double>(cell) / cells;
    return 1.0 + std::sin(2 * M_PI * x) + (cell % 97 == 0 ? 5.0 : 0.0);
}

// Advances the local slab of cells by one explicit diffusion step, exchanging one halo cell
// with each neighbour on the simulation communicator.
void diffuse(std::vector<double>& u, MPI_Comm sim) {
    int rank = 0, size = 1;
    MPI_Comm_rank(sim, &rank);
    MPI_Comm_size(sim, &size);
    int const left = (rank + size - 1) % size, right = (rank + 1) % size;
    double from_left = 0, from_right = 0;
    MPI_Sendrecv(&u.back(), 1, MPI_DOUBLE, right, 0, &from_left, 1, MPI_DOUBLE, left, 0, sim, MPI_STATUS_IGNORE);
    MPI_Sendrecv(&u.front(), 1, MPI_DOUBLE, left, 1, &from_right, 1, MPI_DOUBLE, right, 1, sim, MPI_STATUS_IGNORE);
    constexpr double alpha = 0.25;
    std::vector<double> next(u.size());
    for (std::size_t i = 0; i < u.size(); ++i) {
        double const l = i == 0 ? from_left : u[i - 1];
        double const r = i + 1 == u.size() ? from_right : u[i + 1];
        next[i] = u[i] + alpha * (l - 2 * u[i] + r);
    }
    u.swap(next);
}

void simulate(Settings const& s, MPI_Comm sim, int analysis_root_in_world) {
    int rank = 0, size = 1;
    MPI_Comm_rank(sim, &rank);
    MPI_Comm_size(sim, &size);
    int const local = s.cells / size;
    std::vector<double> u(static_cast<std::size_t>(local));
    for (int i = 0; i < local; ++i) u[static_cast<std::size_t>(i)] = initial_temperature(rank * local + i, s.cells);

    std::vector<double> message;  // [step, cells...]; step -1 says the run is over
    for (int step = 1; step <= s.steps; ++step) {
        diffuse(u, sim);
        if (step % s.interval != 0) continue;
        if (rank == 0) message.assign(static_cast<std::size_t>(s.cells) + 1, 0.0);
        MPI_Gather(u.data(), local, MPI_DOUBLE, rank == 0 ? message.data() + 1 : nullptr, local, MPI_DOUBLE, 0, sim);
        if (rank == 0) {
            message[0] = step;
            MPI_Send(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, analysis_root_in_world, kSnapshotTag,
                     MPI_COMM_WORLD);
        }
    }
    if (rank == 0) {
        double const done = -1;
        MPI_Send(&done, 1, MPI_DOUBLE, analysis_root_in_world, kSnapshotTag, MPI_COMM_WORLD);
    }
}

// ---------------------------------------------------------------- the analysis (farm ranks)

struct WindowStats {
    double min = 0, max = 0, sum = 0, sum_of_squares = 0;
    friend bool operator==(WindowStats const&, WindowStats const&) = default;
};

WindowStats analyse_window(std::vector<double> const& cells) {
    WindowStats s{cells.front(), cells.front(), 0, 0};
    for (double c : cells) {
        s.min = std::min(s.min, c);
        s.max = std::max(s.max, c);
        s.sum += c;
        s.sum_of_squares += c * c;
    }
    return s;
}

std::vector<double> window_of(std::vector<double> const& field, int window, int windows) {
    auto const per = field.size() / static_cast<std::size_t>(windows);
    auto const begin = field.begin() + static_cast<std::ptrdiff_t>(per * static_cast<std::size_t>(window));
    return {begin, begin + static_cast<std::ptrdiff_t>(per)};
}

// Receives snapshots until the simulation says it is done; farms each one's analysis over the
// analysis ranks and checks it. Returns whether every check passed (meaningful on the root).
bool analyse(Settings const& s, MPI_Comm analysis, int sim_root_in_world) {
    boost::mpi::communicator comm(analysis, boost::mpi::comm_attach);
    taskfarm::Farm farm(comm);
    double initial_heat = 0;
    for (int c = 0; c < s.cells; ++c) initial_heat += initial_temperature(c, s.cells);

    bool ok = true;
    std::vector<double> message(static_cast<std::size_t>(s.cells) + 1);
    for (;;) {
        bool more = false;
        if (farm.is_root()) {
            MPI_Recv(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, sim_root_in_world, kSnapshotTag,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            more = message[0] >= 0;
        }
        boost::mpi::broadcast(comm, more, 0);  // every analysis rank joins the farm call, or none
        if (!more) return ok;

        std::vector<double> const field(message.begin() + 1, message.end());
        auto const windows = taskfarm::generate(static_cast<std::size_t>(s.windows), [&](std::size_t w) {
            return window_of(field, static_cast<int>(w), s.windows);
        });
        std::vector<WindowStats> const stats = farm.map(analyse_window, windows);
        if (!farm.is_root()) continue;

        double heat = 0, hottest = stats.front().max;
        bool matches = stats.size() == static_cast<std::size_t>(s.windows);
        for (int w = 0; w < s.windows && matches; ++w) {
            matches = stats[static_cast<std::size_t>(w)] == analyse_window(window_of(field, w, s.windows));
            heat += stats[static_cast<std::size_t>(w)].sum;
            hottest = std::max(hottest, stats[static_cast<std::size_t>(w)].max);
        }
        bool const conserved = std::abs(heat - initial_heat) <= 1e-9 * std::abs(initial_heat);
        std::printf("step %4d: heat %.6f (initial %.6f), hottest %.4f, %d windows on %d ranks: %s\n",
                    static_cast<int>(message[0]), heat, initial_heat, hottest, s.windows, farm.size(),
                    matches && conserved ? "ok" : (matches ? "HEAT NOT CONSERVED" : "MISMATCH WITH SERIAL"));
        ok = ok && matches && conserved;
    }
}

}  // namespace

int main(int argc, char** argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    Settings const s = parse(argc, argv);
    int const sim_ranks = size / 2;
    if (size < 2 || s.cells % std::max(sim_ranks, 1) != 0 || s.cells % s.windows != 0 || s.interval < 1) {
        if (rank == 0)
            std::fprintf(stderr,
                         "insitu_analysis: needs at least 2 ranks, and cells divisible by the simulation "
                         "ranks and by the windows\n");
        MPI_Finalize();
        return 2;
    }

    // Ranks [0, sim_ranks) simulate; the rest analyse. World rank 0 and sim_ranks lead each side.
    bool const simulating = rank < sim_ranks;
    MPI_Comm side = MPI_COMM_NULL;
    MPI_Comm_split(MPI_COMM_WORLD, simulating ? 0 : 1, rank, &side);
    int ok = 1;
    if (simulating) {
        simulate(s, side, sim_ranks);
    } else {
        ok = analyse(s, side, 0) ? 1 : 0;
    }
    MPI_Comm_free(&side);

    int all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (rank == sim_ranks) std::printf("in-situ analysis: %s\n", all_ok ? "all checks passed" : "CHECKS FAILED");
    MPI_Finalize();
    return all_ok ? 0 : 1;
}
