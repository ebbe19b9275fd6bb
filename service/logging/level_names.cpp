#include "service/logging/level_names.hpp"

#include <syslog.h>

namespace volumes::logging {

std::string_view level_name(Level level)
{
    switch (level) {
    case Level::Debug:
        return "debug";
    case Level::Info:
        return "info";
    case Level::Notice:
        return "notice";
    case Level::Warning:
        return "warning";
    case Level::Error:
        return "error";
    }
    return "error";
}

int syslog_priority(Level level)
{
    switch (level) {
    case Level::Debug:
        return LOG_DEBUG;
    case Level::Info:
        return LOG_INFO;
    case Level::Notice:
        return LOG_NOTICE;
    case Level::Warning:
        return LOG_WARNING;
    case Level::Error:
        return LOG_ERR;
    }
    return LOG_ERR;
}

}  // namespace volumes::logging
