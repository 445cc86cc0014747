// Under SMPI the engine's clock must be simulated time: the chunk policy sizes chunks from the
// durations it measures, the block pool polls every 100 us, the back-off sleeps. Sleeps already
// are (smpi_helpers.h, force-included by the build, turns the nanosleep of sleep_for into
// smpi_nanosleep). steady_clock::now() is compiled into libstdc++, out of the macros' reach, so
// this library defines it itself; linked with -Bsymbolic, the engine's calls bind here, while
// SimGrid and libstdc++ keep the real clock.
#include <chrono>

#include <mpi.h>

#include "charged_compute.hpp"

namespace std::chrono {
inline namespace _V2 {

steady_clock::time_point steady_clock::now() noexcept {
    taskfarm::sim::pay_owed();  // the time read includes the work done so far
    // MPI_Wtime charges the host CPU used since the last MPI call first, then reads the clock.
    return time_point(duration_cast<duration>(std::chrono::duration<double>(MPI_Wtime())));
}

}  // namespace _V2
}  // namespace std::chrono
