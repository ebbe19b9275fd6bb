#include "service/logging/journal_fields.hpp"

#include <fmt/format.h>

#include "service/logging/level_names.hpp"

namespace volumes::logging {

std::vector<std::string> journal_fields(Level level, const Fields& fields, std::string_view message)
{
    std::vector<std::string> entry{
        fmt::format("MESSAGE={}", message),
        fmt::format("PRIORITY={}", syslog_priority(level)),
        "SYSLOG_IDENTIFIER=volumesd",
    };
    if (!fields.pool.empty())
        entry.push_back(fmt::format("POOL={}", fields.pool));
    if (!fields.volume.empty())
        entry.push_back(fmt::format("VOLUME={}", fields.volume));
    if (!fields.operation.empty())
        entry.push_back(fmt::format("OPERATION={}", fields.operation));
    return entry;
}

}  // namespace volumes::logging
