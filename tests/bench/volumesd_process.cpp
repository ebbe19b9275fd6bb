#include "volumesd_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <fmt/core.h>
#include <sdbus-c++/sdbus-c++.h>
#include <unistd.h>

#include "bus_client.hpp"
#include "timing.hpp"

namespace volumes::bench {

namespace {

std::unique_ptr<sdbus::IProxy> bus_driver()
{
    return sdbus::createProxy(sdbus::createSystemBusConnection(), "org.freedesktop.DBus", "/org/freedesktop/DBus");
}

bool volumesd_owns_name(sdbus::IProxy& driver)
{
    bool owned = false;
    driver.callMethod("NameHasOwner").onInterface("org.freedesktop.DBus").withArguments(kService).storeResultsTo(owned);
    return owned;
}

// The fields of /proc/<pid>/stat after the command name, which may hold spaces; empty
// when the process is gone.
std::string stat_after_name(std::uint32_t pid)
{
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    std::string line;
    if (!stat || !std::getline(stat, line))
        return {};
    const auto after_name = line.rfind(')');
    return after_name == std::string::npos || line.size() < after_name + 2 ? std::string{} : line.substr(after_name + 2);
}

bool process_gone(std::uint32_t pid)
{
    const auto fields = stat_after_name(pid);
    return fields.empty() || fields[0] == 'Z';
}

}  // namespace

std::uint32_t volumesd_pid()
{
    auto driver = bus_driver();
    std::uint32_t pid = 0;
    driver->callMethod("GetConnectionUnixProcessID").onInterface("org.freedesktop.DBus").withArguments(kService).storeResultsTo(
        pid);
    return pid;
}

double process_cpu_seconds(std::uint32_t pid)
{
    // After the name: state (field 3), ... utime (14) and stime (15).
    std::istringstream fields(stat_after_name(pid));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int number = 3; number <= 15 && fields >> field; ++number) {
        if (number == 14)
            utime = std::stoull(field);
        else if (number == 15)
            stime = std::stoull(field);
    }
    if (!fields)
        throw std::runtime_error(fmt::format("cannot read the CPU time of process {} from /proc", pid));
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::uint64_t process_rss_kib(std::uint32_t pid)
{
    std::ifstream status(fmt::format("/proc/{}/status", pid));
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with("VmRSS:"))
            return std::stoull(line.substr(6));
    return 0;
}

double stop_volumesd(std::chrono::seconds timeout)
{
    auto driver = bus_driver();
    if (!volumesd_owns_name(*driver))
        return 0;
    const auto pid = volumesd_pid();
    const auto start = Clock::now();
    if (::kill(static_cast<pid_t>(pid), SIGTERM) != 0)
        throw std::runtime_error(fmt::format("cannot send SIGTERM to volumesd (pid {}): {}", pid, std::strerror(errno)));
    while (volumesd_owns_name(*driver) || !process_gone(pid)) {
        if (Clock::now() - start > timeout)
            throw std::runtime_error(fmt::format("volumesd (pid {}) still runs {} s after SIGTERM", pid, timeout.count()));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return seconds_between(start, Clock::now());
}

}  // namespace volumes::bench
