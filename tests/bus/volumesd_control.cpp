#include "volumesd_control.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <fmt/core.h>
#include <sdbus-c++/sdbus-c++.h>

#include "bus_wait.hpp"
#include "calls.hpp"

namespace volumes::test {

namespace {

constexpr const char* activation_file = "/usr/share/dbus-1/system-services/org.example.Volumes.service";
constexpr const char* install_status_file = "/run/volumes-guest/install-status";

std::unique_ptr<sdbus::IProxy> bus_driver(sdbus::IConnection& bus)
{
    return sdbus::createProxy(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus");
}

// A zombie has exited; it only waits for dbus-daemon to reap it.
bool process_gone(pid_t pid)
{
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    if (!stat)
        return true;
    std::string line;
    std::getline(stat, line);
    const auto after_name = line.rfind(')');
    return after_name != std::string::npos && line.size() > after_name + 2 && line[after_name + 2] == 'Z';
}

}  // namespace

void require_volumesd_activatable()
{
    std::ifstream status_file(install_status_file);
    std::string status;
    std::getline(status_file, status);
    if (!status_file)
        status = fmt::format("{} is missing: the guest environment did not run start_system_services", install_status_file);
    if (status != "installed")
        throw std::runtime_error("volumesd cannot be bus-activated in this guest: " + status);
    if (!std::filesystem::exists(activation_file))
        throw std::runtime_error(fmt::format(
            "the project was installed but {} is not there: no install rule for volumesd's D-Bus activation file?",
            activation_file));
}

bool volumesd_running(sdbus::IConnection& bus)
{
    bool has_owner = false;
    bus_driver(bus)
        ->callMethod("NameHasOwner")
        .onInterface("org.freedesktop.DBus")
        .withArguments(std::string(volumes_bus_name))
        .storeResultsTo(has_owner);
    return has_owner;
}

pid_t volumesd_pid(sdbus::IConnection& bus)
{
    std::uint32_t pid = 0;
    bus_driver(bus)
        ->callMethod("GetConnectionUnixProcessID")
        .onInterface("org.freedesktop.DBus")
        .withArguments(std::string(volumes_bus_name))
        .storeResultsTo(pid);
    return static_cast<pid_t>(pid);
}

void stop_volumesd(sdbus::IConnection& bus, std::chrono::seconds timeout)
{
    if (!volumesd_running(bus))
        return;
    const pid_t pid = volumesd_pid(bus);
    if (::kill(pid, SIGTERM) != 0)
        throw std::runtime_error(fmt::format("cannot send SIGTERM to volumesd (pid {})", pid));
    const bool stopped = pump_until(
        bus, [&] { return !volumesd_running(bus) && process_gone(pid); },
        std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
    if (!stopped)
        throw std::runtime_error(
            fmt::format("volumesd (pid {}) still {} {} s after SIGTERM", pid,
                        volumesd_running(bus) ? "owns org.example.Volumes" : "runs", timeout.count()));
}

}  // namespace volumes::test
