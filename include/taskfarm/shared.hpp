/// @file
/// @brief Read-only data every task needs (a lookup table, a mesh, parameters): sent to every rank
/// once per call, not once per chunk, and handed to each task by const reference.
///
/// @code{.cpp}
/// std::vector<double> table;                          // filled on the root only
/// if (farm.is_root()) table = load_table();
/// auto out = farm.map([](std::vector<double> const& t, std::size_t i) { return t[i % t.size()]; },
///                     taskfarm::shared(table), taskfarm::indices(n));
/// @endcode
#pragma once

namespace taskfarm {

/// @brief A read-only value for every task of one farm call. Only the root's value counts (like
/// inputs); it must outlive the call. Made by `taskfarm::shared(value)`.
template <class T>
struct Shared {
    T const& value;
};

/// @brief Marks `value` as the call's shared data: `farm.map(fn, taskfarm::shared(value), inputs)`
/// calls `fn(value, input)`. The root's value is broadcast once per call; the other ranks keep
/// their copy for the call's duration.
template <class T>
[[nodiscard]] Shared<T> shared(T const& value) noexcept {
    return Shared<T>{value};
}

}  // namespace taskfarm
