// The executor's tasks as a Job for the engine's BlockPool: a block is one submitted task (its
// id, name and arguments), run by whichever pool thread takes it. The root-side Job methods are
// the farm's (chunked calls with a known size) and are not used here.
#pragma once

#include <taskfarm/detail/job.hpp>

namespace taskfarm::detail {

class ExecutorJob final : public Job {
public:
    [[nodiscard]] std::uint64_t size() const override { return 0; }
    [[nodiscard]] char const* call_kind() const override { return "executor"; }
    [[nodiscard]] std::string result_type() const override { return "executor"; }
    [[nodiscard]] char const* codec() const override { return "archive"; }
    [[nodiscard]] std::uint64_t type_id() const override;
    void encode_inputs(std::uint64_t first, std::uint64_t count, Bytes& out) override;
    /// Runs the task of block `first` (count 1): its exception is its failure, and the block's.
    void run_block(std::uint64_t first, std::uint64_t count, ByteView inputs, Bytes& out, FailureList& failures,
                   Team& team) override;
    void accept_results(std::uint64_t first, std::uint64_t count, ByteView results,
                        std::span<std::uint64_t const> skip) override;
};

}  // namespace taskfarm::detail
