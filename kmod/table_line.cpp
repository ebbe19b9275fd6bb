#include "kmod/table_line.hpp"

#include <fmt/core.h>

namespace volumes::kmod {

std::string TableLine::to_string() const
{
    if (params.empty())
        return fmt::format("{} {} {}", start, length, target_type);
    return fmt::format("{} {} {} {}", start, length, target_type, params);
}

std::uint64_t table_length(const Table& table)
{
    std::uint64_t length = 0;
    for (const auto& line : table)
        length += line.length;
    return length;
}

std::string to_string(const Table& table)
{
    std::string text;
    for (const auto& line : table) {
        if (!text.empty())
            text += '\n';
        text += line.to_string();
    }
    return text;
}

}  // namespace volumes::kmod
