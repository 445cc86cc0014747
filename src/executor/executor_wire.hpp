// The executor speaks the engine's wire (engine/wire.hpp), one task per message, on its own
// duplicate communicator:
//   root -> worker (kTaskTag): Block {first: the task's id, count 1, job_type kExecutorJobType},
//                              payload [u32 name bytes][name][encoded arguments]; or Stop, whose
//                              status is ok or interrupted.
//   worker -> root (kOutcomeTag): Result {first: the id}, payload the encoded result, or one failure
//                              record (the task threw); Signal (this rank caught one; job_type the
//                              signal); Left (the answer to Stop: nothing follows it).
// Blocks and Stop share a tag, so MPI's ordering delivers Stop last; Results and Left share one, so
// the root that has every Left has every message.
#pragma once

#include <cstdint>
#include <string_view>

#include <taskfarm/detail/codec.hpp>

#include "engine/wire.hpp"

namespace taskfarm::detail {

// The executor has its own duplicate communicator; distinct tags only make traces easier to read.
inline constexpr int kTaskTag = 201;
inline constexpr int kOutcomeTag = 202;
/// Every executor Block carries it: a farm message can never be taken for a task.
inline constexpr std::uint64_t kExecutorJobType = 0x6578656375746f72ull;  // "executor"

/// A task's Block payload: its registered name and encoded arguments.
void append_task(Bytes& payload, std::string_view name, ByteView args);

struct TaskView {
    std::string_view name;
    ByteView args;
};
/// Throws taskfarm::Error on a malformed payload.
TaskView parse_task(ByteView payload);

}  // namespace taskfarm::detail
