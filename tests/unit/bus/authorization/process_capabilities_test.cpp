// CAP_SYS_ADMIN in a process's effective set, read from /proc for real processes: this test's
// children, one started through setpriv without it.
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "child_process.hpp"
#include "service/bus/authorization/process_capabilities.hpp"

namespace volumes::bus {
namespace {

using ::testing::HasSubstr;
using volumes::testing::ChildProcess;

// A shell that says "ready" once it runs (setpriv has changed its capabilities by then) and
// then sleeps.
std::unique_ptr<ChildProcess> ready_sleeper(std::vector<std::string> argv)
{
    argv.insert(argv.end(), {"sh", "-c", "echo ready; exec sleep 600"});
    auto child = std::make_unique<ChildProcess>(argv, ChildProcess::Capture::Stdout);
    EXPECT_EQ(child->read_line(), "ready");
    return child;
}

bool this_process_has_cap_sys_admin()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("CapEff:"))
            return ((std::stoull(line.substr(7), nullptr, 16) >> 21) & 1U) != 0;
    return false;
}

TEST(ProcessCapabilities, ChildOfRootHasCapSysAdmin)
{
    if (!this_process_has_cap_sys_admin())
        GTEST_FAIL() << "needs CAP_SYS_ADMIN: run the tests as root";
    auto child = ready_sleeper({});
    const auto has = has_effective_cap_sys_admin(child->pid());
    ASSERT_TRUE(has.has_value()) << has.error();
    EXPECT_TRUE(*has);
}

TEST(ProcessCapabilities, RootWithoutItInTheBoundingSetLacksIt)
{
    if (!this_process_has_cap_sys_admin())
        GTEST_FAIL() << "needs CAP_SYS_ADMIN: run the tests as root";
    auto child = ready_sleeper({"setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"});
    const auto has = has_effective_cap_sys_admin(child->pid());
    ASSERT_TRUE(has.has_value()) << has.error();
    EXPECT_FALSE(*has);
}

TEST(ProcessCapabilities, NoProcessIsAnError)
{
    // pid 0 would make libsystemd read the calling process itself.
    for (pid_t pid : {0, -1}) {
        const auto has = has_effective_cap_sys_admin(pid);
        ASSERT_FALSE(has.has_value()) << pid;
        EXPECT_THAT(has.error(), HasSubstr("no process"));
    }
    pid_t gone = -1;
    {
        ChildProcess child({"true"}, ChildProcess::Capture::Nothing);
        while (!child.exit_status())
            ::usleep(1000);
        gone = child.pid();
    }
    const auto has = has_effective_cap_sys_admin(gone);
    ASSERT_FALSE(has.has_value());
    EXPECT_THAT(has.error(), HasSubstr("cannot read the capabilities"));
}

}  // namespace
}  // namespace volumes::bus
