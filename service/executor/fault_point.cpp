#include "service/executor/fault_point.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

#include <fmt/core.h>
#include <unistd.h>

namespace volumes::executor {

Result<void> fault_point(std::string_view name)
{
    const char* setting = std::getenv("VOLUMESD_FAULT");
    if (setting == nullptr)
        return {};
    const std::string_view wanted(setting);
    if (wanted == name) {
        // One write(2), unbuffered: nothing in a stdio buffer survives SIGKILL.
        const auto line = fmt::format("volumesd: fault point '{}' reached, killing the process\n", name);
        (void)!::write(STDERR_FILENO, line.data(), line.size());
        std::raise(SIGKILL);
    }
    if (wanted.size() == name.size() + 5 && wanted.starts_with(name) && wanted.ends_with(":fail"))
        return fail(ErrorCode::Fault, fmt::format("fault point '{}' set to fail", name));
    if (wanted.size() == name.size() + 5 && wanted.starts_with(name) && wanted.ends_with(":stop")) {
        const auto line = fmt::format("volumesd: fault point '{}' reached, stopping the process\n", name);
        (void)!::write(STDERR_FILENO, line.data(), line.size());
        std::raise(SIGSTOP);
    }
    return {};
}

}  // namespace volumes::executor
