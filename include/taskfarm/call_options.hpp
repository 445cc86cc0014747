/// @file
/// @brief Options for one farm call, overriding the Farm's Options for that call only.
///
/// @code{.cpp}
/// auto out = farm.map(simulate, inputs, {.chunk_size = 3, .progress = taskfarm::stderr_progress()});
/// @endcode
#pragma once

#include <cstddef>
#include <optional>

#include <taskfarm/options.hpp>
#include <taskfarm/progress.hpp>

namespace taskfarm {

/// @brief Each field that is set replaces the Farm's option of the same name for one call; unset
/// fields keep the Farm's. Only options that the root alone acts on are here: every rank still
/// passes the same call (collective), but ranks need not agree on these values.
struct CallOptions {
    std::optional<std::size_t> chunk_size = std::nullopt;     ///< Options::chunk_size (0: adaptive)
    std::optional<double> chunk_seconds = std::nullopt;       ///< Options::chunk_seconds
    std::optional<int> prefetch = std::nullopt;               ///< Options::prefetch
    std::optional<int> retries = std::nullopt;                ///< Options::retries
    std::optional<OnError> on_error = std::nullopt;           ///< Options::on_error
    std::optional<bool> root_computes = std::nullopt;         ///< Options::root_computes
    std::optional<ProgressCallback> progress = std::nullopt;  ///< Options::progress (an empty callback: none)
    /// `Farm::imap` only: tasks per window, the most results the root holds at once (default 1024).
    std::optional<std::size_t> window = std::nullopt;
};

}  // namespace taskfarm
