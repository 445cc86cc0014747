#include <map>
#include <string>

#include <taskfarm/errors.hpp>
#include <taskfarm/task.hpp>

namespace taskfarm::detail {

struct TaskRegistry::Table {
    std::map<std::string, Entry, std::less<>> by_name;
    std::map<std::uintptr_t, std::string> by_address;
};

TaskRegistry& TaskRegistry::instance() {
    // Constructed on first use, so registrations from any translation unit's static
    // initialization find it ready.
    static TaskRegistry registry;
    return registry;
}

TaskRegistry::Table& TaskRegistry::table() const {
    static Table table;
    return table;
}

void TaskRegistry::add(std::string name, std::uintptr_t address, TaskInvoker invoke) {
    auto& t = table();
    auto [it, inserted] = t.by_name.try_emplace(name, Entry{address, std::move(invoke), false});
    if (!inserted && it->second.address != address) it->second.ambiguous = true;
    t.by_address.try_emplace(address, std::move(name));
}

std::string const& TaskRegistry::name_of(std::uintptr_t address) const {
    auto const& t = table();
    auto const it = t.by_address.find(address);
    if (it == t.by_address.end())
        throw UsageError(
            "taskfarm: this function is not a registered task; register it on every rank with "
            "TASKFARM_TASK(fn) or taskfarm::register_task(name, fn)");
    return it->second;
}

TaskInvoker const& TaskRegistry::invoker(std::string_view name) const {
    auto const& t = table();
    auto const it = t.by_name.find(name);
    if (it == t.by_name.end())
        throw UsageError("taskfarm: no task named '" + std::string(name) + "' is registered on this rank");
    if (it->second.ambiguous)
        throw UsageError("taskfarm: the task name '" + std::string(name) +
                         "' is registered for two different functions");
    return it->second.invoke;
}

}  // namespace taskfarm::detail
