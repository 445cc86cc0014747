// What must agree between ranks (and between a journal and the run that resumes it).
#pragma once

#include <cstdint>
#include <string>

#include <taskfarm/version.hpp>

namespace taskfarm::detail {

/// The library's version as journals and the start-up handshake see it. Bump it with any change
/// of the wire protocol or of how results are encoded.
inline constexpr char const* kTaskfarmVersion = TASKFARM_VERSION_STRING;

/// This rank's program: a hash of the taskfarm version, the protocol's layout and the executable
/// (its size and first megabyte, which hold the ELF build id). Equal on every rank of a job that
/// runs one program; computed once per process.
[[nodiscard]] std::uint64_t program_build_id();

/// The executable's path and size, for the handshake's error message.
[[nodiscard]] std::string program_description();

}  // namespace taskfarm::detail
