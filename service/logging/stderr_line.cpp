#include "service/logging/stderr_line.hpp"

#include <fmt/format.h>

#include "service/logging/level_names.hpp"

namespace volumes::logging {
namespace {

std::string context_of(const Fields& fields)
{
    std::string subject{fields.pool};
    if (!fields.volume.empty()) {
        if (!subject.empty())
            subject += '/';
        subject += fields.volume;
    }
    if (fields.operation.empty())
        return subject;
    if (subject.empty())
        return std::string{fields.operation};
    return fmt::format("{} {}", subject, fields.operation);
}

std::string on_one_line(std::string_view message)
{
    std::string line;
    line.reserve(message.size());
    for (const char c : message) {
        if (c == '\n')
            line += "\\n";
        else
            line += c;
    }
    return line;
}

}  // namespace

std::string stderr_line(Level level, const Fields& fields, std::string_view message)
{
    const auto context = context_of(fields);
    if (context.empty())
        return fmt::format("volumesd: {}: {}", level_name(level), on_one_line(message));
    return fmt::format("volumesd: {}: [{}] {}", level_name(level), context, on_one_line(message));
}

}  // namespace volumes::logging
