// dbus/org.example.Volumes.conf in a dbus-daemon that denies by default, as the system bus
// does: who may own the name, which calls reach the daemon and which the bus refuses.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "child_process.hpp"
#include "private_bus.hpp"
#include "run_loop.hpp"

namespace volumes::testing {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr uid_t nobody = 65534;

// The system bus's own stance: connect, but own nothing and call nothing but the bus driver.
constexpr const char* system_bus_policy = R"(
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
  </policy>
  <include>{}</include>)";

const std::filesystem::path source_dir{VOLUMES_SOURCE_DIR};

class BusPolicy : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (::geteuid() != 0)
            GTEST_FAIL() << "needs root: the name's owner is root, the caller nobody; run the tests as root";
        for (const char* program : {"dbus-daemon", "dbus-send", "setpriv"})
            if (!program_available(program))
                GTEST_FAIL() << program << " is not installed: run scripts/install-deps.sh";

        bus_ = std::make_unique<PrivateBus>(
            fmt::format(system_bus_policy, (source_dir / "dbus" / "org.example.Volumes.conf").string()));
        daemon_ = sdbus::createSessionBusConnectionWithAddress(bus_->address());
        daemon_->requestName("org.example.Volumes");
    }

    // What dbus-send, run as nobody, prints for `method` ("interface.Member") on the daemon's
    // root object.
    std::string call_as_nobody(const std::string& destination, const std::string& path, const std::string& method,
                               const std::vector<std::string>& arguments = {})
    {
        std::vector<std::string> argv{"setpriv",
                                      fmt::format("--reuid={}", nobody),
                                      fmt::format("--regid={}", nobody),
                                      "--clear-groups",
                                      "dbus-send",
                                      fmt::format("--bus={}", bus_->address()),
                                      "--print-reply",
                                      fmt::format("--dest={}", destination),
                                      path,
                                      method};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        ChildProcess caller(argv, ChildProcess::Capture::StdoutAndStderr);
        EXPECT_TRUE(run_until({daemon_.get()}, [&] { return caller.exit_status().has_value(); }));
        return caller.read_all();
    }

    std::string call_daemon_as_nobody(const std::string& method, const std::vector<std::string>& arguments = {})
    {
        return call_as_nobody("org.example.Volumes", "/org/example/Volumes", method, arguments);
    }

    std::unique_ptr<PrivateBus> bus_;
    std::unique_ptr<sdbus::IConnection> daemon_;
};

// The call went through the bus: the daemon answered it, if only to say that it has no
// such object or method.
auto reached_the_daemon()
{
    return AllOf(Not(HasSubstr("AccessDenied")),
                 AnyOf(HasSubstr("method return"), HasSubstr("Error org.freedesktop.DBus.Error.Unknown")));
}

TEST_F(BusPolicy, AnyoneMayRead)
{
    EXPECT_THAT(call_daemon_as_nobody("org.freedesktop.DBus.Introspectable.Introspect"), reached_the_daemon());
    EXPECT_THAT(call_daemon_as_nobody("org.freedesktop.DBus.Properties.Get",
                                      {"string:org.example.Volumes.Manager", "string:Version"}),
                reached_the_daemon());
    EXPECT_THAT(call_daemon_as_nobody("org.freedesktop.DBus.Properties.GetAll", {"string:org.example.Volumes.Manager"}),
                reached_the_daemon());
    EXPECT_THAT(call_daemon_as_nobody("org.freedesktop.DBus.ObjectManager.GetManagedObjects"), reached_the_daemon());
    EXPECT_THAT(call_daemon_as_nobody("org.freedesktop.DBus.Peer.Ping"), reached_the_daemon());
}

TEST_F(BusPolicy, AnyoneMayCallEveryVolumesInterface)
{
    int interfaces = 0;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir / "interfaces")) {
        const auto name = entry.path().filename().string();
        if (!name.starts_with("org.example.Volumes.") || entry.path().extension() != ".xml")
            continue;
        ++interfaces;
        const auto interface = entry.path().stem().string();
        EXPECT_THAT(call_daemon_as_nobody(interface + ".Anything"), reached_the_daemon()) << interface;
    }
    EXPECT_GE(interfaces, 9);
}

TEST_F(BusPolicy, NoOneButRootMaySetProperties)
{
    EXPECT_THAT(call_daemon_as_nobody("org.freedesktop.DBus.Properties.Set",
                                      {"string:org.example.Volumes.Manager", "string:Version", "variant:string:1"}),
                HasSubstr("org.freedesktop.DBus.Error.AccessDenied"));
}

TEST_F(BusPolicy, OtherInterfacesAreRefused)
{
    EXPECT_THAT(call_daemon_as_nobody("org.example.Other.Anything"), HasSubstr("org.freedesktop.DBus.Error.AccessDenied"));
    EXPECT_THAT(call_daemon_as_nobody("org.example.VolumesX.Anything"),
                HasSubstr("org.freedesktop.DBus.Error.AccessDenied"));
}

TEST_F(BusPolicy, OnlyRootMayOwnTheName)
{
    EXPECT_THAT(call_as_nobody("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.RequestName",
                               {"string:org.example.Volumes", "uint32:0"}),
                HasSubstr("org.freedesktop.DBus.Error.AccessDenied"));
}

}  // namespace
}  // namespace volumes::testing
