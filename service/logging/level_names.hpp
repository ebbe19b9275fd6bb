// How each log level is spelled on stderr and numbered for the journal.
#pragma once

#include <string_view>

#include "service/logging/log.hpp"

namespace volumes::logging {

std::string_view level_name(Level level);

// The syslog priority (PRIORITY=) of a level: LOG_DEBUG .. LOG_ERR.
int syslog_priority(Level level);

}  // namespace volumes::logging
