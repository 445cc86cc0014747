/// @file
/// @brief Everything: `#include <taskfarm/taskfarm.hpp>`.
///
/// @code{.cpp}
/// #include <taskfarm/taskfarm.hpp>
/// int main(int argc, char** argv) {
///     taskfarm::Environment env(argc, argv);
///     taskfarm::Farm farm;
///     auto squares = farm.map([](std::size_t i) { return double(i) * i; }, taskfarm::indices(1000));
///     if (farm.is_root()) std::printf("%g\n", squares.back());
/// }
/// @endcode
#pragma once

#include <taskfarm/environment.hpp>
#include <taskfarm/errors.hpp>
#include <taskfarm/executor.hpp>
#include <taskfarm/farm.hpp>
#include <taskfarm/options.hpp>
#include <taskfarm/progress.hpp>
#include <taskfarm/ranges.hpp>
#include <taskfarm/statistics.hpp>
