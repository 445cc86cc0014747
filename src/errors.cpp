#include <algorithm>
#include <string>

#include <taskfarm/detail/codec.hpp>
#include <taskfarm/errors.hpp>

namespace taskfarm {

namespace {
std::string describe(TaskFailure const& f) {
    // rank -1: the task did not run (e.g. set aside as the likely culprit of crashes).
    if (f.rank < 0) return "task " + std::to_string(f.index) + " failed: " + f.message;
    return "task " + std::to_string(f.index) + " failed on rank " + std::to_string(f.rank) + ": " + f.message;
}

std::string describe(std::vector<TaskFailure> const& failures) {
    if (failures.empty()) return "taskfarm: a task failed";
    if (failures.size() == 1) return describe(failures.front());
    return std::to_string(failures.size()) + " tasks failed; the first: " + describe(failures.front());
}

std::vector<TaskFailure> sorted_by_index(std::vector<TaskFailure> failures) {
    std::stable_sort(failures.begin(), failures.end(),
                     [](TaskFailure const& a, TaskFailure const& b) { return a.index < b.index; });
    if (failures.empty()) failures.push_back(TaskFailure{0, -1, "unknown failure"});
    return failures;
}
}  // namespace

TaskError::TaskError(std::vector<TaskFailure> failures)
    : Error(describe(sorted_by_index(failures))), failures_(sorted_by_index(std::move(failures))) {}

namespace detail {
void throw_block_size_mismatch(std::size_t got, std::size_t expected) {
    throw Error("taskfarm: a block of " + std::to_string(got) + " bytes arrived where " + std::to_string(expected) +
                " were expected (do all ranks run the same program and make the same farm calls?)");
}
}  // namespace detail

}  // namespace taskfarm
