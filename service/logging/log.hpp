#pragma once

#include <string_view>
#include <utility>

#include <fmt/format.h>

// The daemon's log: to the journal with structured fields (POOL=, VOLUME=, OPERATION=,
// PRIORITY=, SYSLOG_IDENTIFIER=volumesd) when stderr is not a terminal and the journal is
// there, else one readable line per message on stderr:
//   "volumesd: <level>: [pool/volume operation] <message>".
namespace volumes::logging {

enum class Level { Debug, Info, Notice, Warning, Error };

// What a message is about; empty fields are left out.
struct Fields {
    std::string_view pool{};
    std::string_view volume{};
    std::string_view operation{};
};

enum class Sink { Automatic, Journal, Stderr };

// Called once at start-up. Automatic: stderr when it is a terminal or the journal socket is
// missing, the journal otherwise. Messages below `threshold` are dropped.
void configure(Sink sink, Level threshold = Level::Info);

// The message and each field are cut to bounded_text.hpp's limits first.
void write(Level level, const Fields& fields, std::string_view message);

template <class... Args>
void info(const Fields& fields, fmt::format_string<Args...> format, Args&&... args)
{
    write(Level::Info, fields, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void notice(const Fields& fields, fmt::format_string<Args...> format, Args&&... args)
{
    write(Level::Notice, fields, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void warning(const Fields& fields, fmt::format_string<Args...> format, Args&&... args)
{
    write(Level::Warning, fields, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void error(const Fields& fields, fmt::format_string<Args...> format, Args&&... args)
{
    write(Level::Error, fields, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void debug(const Fields& fields, fmt::format_string<Args...> format, Args&&... args)
{
    write(Level::Debug, fields, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace volumes::logging
