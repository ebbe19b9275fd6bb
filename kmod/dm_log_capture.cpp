#include "kmod/dm_log_capture.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <libdevmapper.h>

namespace volumes::kmod {
namespace {

// libdevmapper's levels: 3 is an error, 4 a warning, higher is chatter.
constexpr int dm_log_error_level = 3;
constexpr int dm_log_warning_level = 4;

thread_local std::string captured_errors;

bool debug_to_stderr()
{
    static const bool enabled = std::getenv("VOLUMES_DM_DEBUG") != nullptr;
    return enabled;
}

void capture(int level, const char* file, int line, int /*dm_errno_or_class*/, const char* format, ...)
{
    const int severity = level & 0xf;  // upper bits carry flags such as "no newline"
    if (severity > dm_log_warning_level && !debug_to_stderr())
        return;

    char buffer[1024];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);

    if (debug_to_stderr())
        std::fprintf(stderr, "libdevmapper[%d] %s:%d: %s\n", severity, file, line, buffer);
    if (severity <= dm_log_error_level) {
        if (!captured_errors.empty())
            captured_errors += "; ";
        captured_errors += buffer;
    }
}

}  // namespace

void install_dm_log_capture()
{
    static std::once_flag installed;
    std::call_once(installed, [] { dm_log_with_errno_init(capture); });
}

void clear_dm_log()
{
    captured_errors.clear();
}

std::string last_dm_log_error()
{
    return captured_errors;
}

}  // namespace volumes::kmod
