#include "service/logging/bounded_text.hpp"

#include <fmt/format.h>

namespace volumes::logging {

std::string bounded_text(std::string_view text, std::size_t limit)
{
    if (text.size() <= limit)
        return std::string(text);
    std::size_t kept = limit;
    while (kept > 0 && (static_cast<unsigned char>(text[kept]) & 0xC0) == 0x80)
        --kept;
    return fmt::format("{}… [{} more bytes]", text.substr(0, kept), text.size() - kept);
}

}  // namespace volumes::logging
