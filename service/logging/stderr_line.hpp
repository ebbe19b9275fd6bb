// One log message as one line of text for stderr.
#pragma once

#include <string>
#include <string_view>

#include "service/logging/log.hpp"

namespace volumes::logging {

// "volumesd: <level>: [pool/volume operation] <message>" without the final newline; the
// bracket holds only the fields that are set and is left out when none is. A newline inside
// the message is written as "\n" so that the message stays on one line.
std::string stderr_line(Level level, const Fields& fields, std::string_view message);

}  // namespace volumes::logging
