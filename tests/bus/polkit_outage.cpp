#include "polkit_outage.hpp"

#include <csignal>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/core.h>

#include "process.hpp"

namespace volumes::test {

namespace {

constexpr const char* polkit_name = "org.freedesktop.PolicyKit1";

std::vector<std::string> bus_driver_call(const std::string& method, const std::vector<std::string>& arguments)
{
    std::vector<std::string> argv{"busctl",        "--system",  "call", "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                  "org.freedesktop.DBus", method};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return argv;
}

ProcessResult call_bus_driver(const std::string& method, const std::vector<std::string>& arguments = {})
{
    return run_process(bus_driver_call(method, arguments));
}

bool polkit_on_bus()
{
    const auto answer = call_bus_driver("NameHasOwner", {"s", polkit_name});
    if (answer.status != 0)
        throw std::runtime_error("NameHasOwner failed: " + answer.describe());
    return answer.out == "b true\n";
}

void reload_bus_config()
{
    if (const auto reloaded = call_bus_driver("ReloadConfig"); reloaded.status != 0)
        throw std::runtime_error("the system bus did not reload its configuration: " + reloaded.describe());
}

}  // namespace

PolkitOutage::PolkitOutage()
    : activation_file_(fmt::format("/usr/share/dbus-1/system-services/{}.service", polkit_name))
    , set_aside_(activation_file_ + ".volumes-test-outage")
{
    // dbus-daemon reads only *.service files: the renamed one is no longer an activation file.
    std::filesystem::rename(activation_file_, set_aside_);
    try {
        reload_bus_config();
        if (polkit_on_bus()) {
            const auto pid = call_bus_driver("GetConnectionUnixProcessID", {"s", polkit_name});
            if (pid.status != 0 || !pid.out.starts_with("u "))
                throw std::runtime_error("cannot find polkitd's pid: " + pid.describe());
            ::kill(std::stoi(pid.out.substr(2)), SIGTERM);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (polkit_on_bus()) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("polkitd is still on the bus 30 s after SIGTERM");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        const auto started = call_bus_driver("StartServiceByName", {"su", polkit_name, "0"});
        if (started.status == 0)
            throw std::runtime_error("the bus still starts polkitd on demand: " + started.describe());
    } catch (...) {
        restore();
        throw;
    }
}

PolkitOutage::~PolkitOutage()
{
    restore();
}

void PolkitOutage::restore()
{
    std::error_code error;
    std::filesystem::rename(set_aside_, activation_file_, error);
    if (error) {
        std::cerr << "cannot put " << activation_file_ << " back: " << error.message() << "\n";
        return;
    }
    try {
        reload_bus_config();
        const auto introspected = run_process({"busctl", "--system", "--timeout=60", "introspect", polkit_name,
                                               "/org/freedesktop/PolicyKit1/Authority",
                                               "org.freedesktop.PolicyKit1.Authority"});
        if (introspected.status != 0)
            std::cerr << "polkitd did not come back on the bus: " << introspected.describe() << "\n";
    } catch (const std::exception& failure) {
        std::cerr << "polkitd did not come back on the bus: " << failure.what() << "\n";
    }
}

}  // namespace volumes::test
