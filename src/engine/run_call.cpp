// One farm call on this rank. Flat: the root or a worker. With groups (Options::group_size): the
// root farms out to the sub-masters over their communicator, each sub-master farms out inside its
// group, and the other ranks are ordinary workers of their group. Every level speaks the same
// protocol; a level is a FarmCore of its own, made here for the call and folded back after.
#include "engine/farm_core.hpp"

namespace taskfarm::detail {

namespace {
// `base` as seen on one level of the hierarchy: its communicator, this rank there, every rank's
// threads there; the root of a level is its rank 0.
void make_level(FarmCore const& base, FarmCore& level, MPI_Comm comm, int rank, std::vector<int> threads,
                std::vector<int> const& ranks) {
    level.farm_comm = base.comm;
    level.farm_ranks = ranks;
    level.farm_root = base.options.root;
    level.comm = comm;
    level.rank = rank;
    level.size = static_cast<int>(threads.size());
    level.options = base.options;
    level.options.root = 0;
    level.threads = base.threads;
    level.rank_threads = std::move(threads);
    level.calls = base.calls;
    level.journaled_calls = base.journaled_calls;
    level.section = base.section;
    level.tags = base.tags;
    level.run_id = base.run_id;
    level.in_call = true;
}

struct Folded {  // whatever the call ends with, the farm learns what its levels found
    FarmCore& base;
    FarmCore& level;
    ~Folded() {
        if (level.keep_communicator) base.groups->keep = true;
        if (base.is_root()) base.statistics = level.statistics;
    }
};
}  // namespace

void run_call(FarmCore& core, Job& job) {
    if (!core.groups) {
        if (core.is_root()) return run_root(core, job);
        return run_worker(core, job);
    }
    FarmGroups& g = *core.groups;
    FarmCore group;
    make_level(core, group, g.group, g.group_rank, g.group_threads, g.group_ranks);
    if (g.leader_rank < 0) {
        Folded const fold{core, group};
        return run_worker(group, job);
    }
    FarmCore top;
    make_level(core, top, g.leaders, g.leader_rank, g.leader_threads, g.leader_ranks);
    Folded const fold{core, top};
    Folded const fold_group{core, group};
    if (core.is_root()) {
        top.leads_groups = true;
        top.level_of_farm_rank = &g.leader_of;
        top.threads = core.threads;
        return run_root(top, job);
    }
    top.options.journal.clear();  // the root's alone
    run_submaster(top, group, job);
}

}  // namespace taskfarm::detail
