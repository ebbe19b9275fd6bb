#include "private_bus.hpp"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace volumes::testing {
namespace {

constexpr const char* bus_config = R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>volumes-test</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>{}
</busconfig>
)";

}  // namespace

PrivateBus::PrivateBus(const std::string& policy)
{
    std::string pattern = (std::filesystem::temp_directory_path() / "volumes-bus-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
    std::filesystem::permissions(directory_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                 std::filesystem::perms::group_exec |
                                                 std::filesystem::perms::others_read |
                                                 std::filesystem::perms::others_exec);

    const auto config = directory_ / "bus.conf";
    std::ofstream{config} << fmt::format(bus_config, (directory_ / "socket").string(), policy);

    daemon_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"dbus-daemon", "--nofork", "--nopidfile", "--nosyslog", "--print-address",
                                 fmt::format("--config-file={}", config.string())},
        ChildProcess::Capture::Stdout);
    address_ = daemon_->read_line();
    if (address_.empty())
        throw std::runtime_error("dbus-daemon did not print its address");
}

PrivateBus::~PrivateBus()
{
    daemon_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
}

}  // namespace volumes::testing
