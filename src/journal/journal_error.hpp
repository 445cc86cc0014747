/// @file
/// @brief What the journal throws. Every message names the file and what is wrong with it.
///
/// The classes are public (include/taskfarm/errors.hpp) so that users catch them by type; the
/// journal's code names them in its own namespace.
#pragma once

#include <taskfarm/errors.hpp>

namespace taskfarm::journal {

using taskfarm::JournalCorruptError;
using taskfarm::JournalError;
using taskfarm::JournalMismatchError;
using taskfarm::NotAJournalError;

}  // namespace taskfarm::journal
