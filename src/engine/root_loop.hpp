// The root's side of one call, over any Channel (run_root in farm_core.hpp gives it MPI's).
#pragma once

#include <taskfarm/detail/job.hpp>

#include "engine/channel.hpp"
#include "engine/farm_core.hpp"

namespace taskfarm::detail {

/// Runs the call as the root: hands out blocks, computes its own, collects results, ends the call
/// with a Stop to every worker, and throws what the call's outcome says (call_outcome.hpp).
void run_root(FarmCore& core, Job& job, Channel& channel);

}  // namespace taskfarm::detail
