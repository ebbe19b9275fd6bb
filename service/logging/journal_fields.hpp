// One log message as the fields of a journal entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "service/logging/log.hpp"

namespace volumes::logging {

// "MESSAGE=...", "PRIORITY=<syslog priority>", "SYSLOG_IDENTIFIER=volumesd", then POOL=,
// VOLUME= and OPERATION= for the fields that are set.
std::vector<std::string> journal_fields(Level level, const Fields& fields, std::string_view message);

}  // namespace volumes::logging
