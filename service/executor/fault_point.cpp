#include "service/executor/fault_point.hpp"

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <fmt/core.h>
#include <unistd.h>

namespace volumes::executor {

namespace {

// The n of "<suffix><n>" after `name` in `wanted`; 0 when it is not that.
unsigned long nth_of(std::string_view wanted, std::string_view name, std::string_view suffix)
{
    if (!wanted.starts_with(name) || !wanted.substr(name.size()).starts_with(suffix))
        return 0;
    const auto digits = wanted.substr(name.size() + suffix.size());
    unsigned long nth = 0;
    const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), nth);
    if (parsed.ec != std::errc{} || parsed.ptr != digits.data() + digits.size())
        return 0;
    return nth;
}

void say(std::string_view what, std::string_view name)
{
    // One write(2), unbuffered: nothing in a stdio buffer survives SIGKILL.
    const auto line = fmt::format("volumesd: fault point '{}' reached, {}\n", name, what);
    (void)!::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace

Result<void> fault_point(std::string_view name)
{
    const char* setting = std::getenv("VOLUMESD_FAULT");
    if (setting == nullptr)
        return {};
    const std::string_view wanted(setting);
    if (wanted == name) {
        say("killing the process", name);
        std::raise(SIGKILL);
    }
    if (wanted.size() == name.size() + 5 && wanted.starts_with(name) && wanted.ends_with(":fail"))
        return fail(ErrorCode::Fault, fmt::format("fault point '{}' set to fail", name));
    if (wanted.size() == name.size() + 5 && wanted.starts_with(name) && wanted.ends_with(":stop")) {
        say("stopping the process", name);
        std::raise(SIGSTOP);
    }
    // Only one point is ever named, so one count serves.
    static std::atomic<unsigned long> reached{0};
    if (const auto nth = nth_of(wanted, name, ":fail-at="); nth != 0 && ++reached == nth)
        return fail(ErrorCode::Fault, fmt::format("fault point '{}' set to fail the {}. time it is reached", name, nth));
    if (const auto nth = nth_of(wanted, name, ":hold-at="); nth != 0 && ++reached == nth) {
        say(fmt::format("holding this thread while {} exists", kFaultHoldFile), name);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
        while (std::filesystem::exists(kFaultHoldFile) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {};
}

}  // namespace volumes::executor
