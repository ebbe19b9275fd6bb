// A caller cannot fill volumesd's log: an unprivileged CreateVolume with a 10 MB name is
// refused NotAuthorized, and the log (dbus-daemon's, which the activated volumesd writes to
// in the guest) grows by a few KiB at most, the refusal among them.
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/core.h>

#include "bus_fixture.hpp"

namespace volumes::test {
namespace {

constexpr const char* daemon_log = "/run/volumes-guest/dbus-daemon.log";

// In a child running as uid 65534: the call with the huge name; its exit status says how it went.
int call_with_huge_name_as_nobody(const std::string& pool)
{
    const pid_t child = ::fork();
    if (child < 0)
        throw std::runtime_error("fork failed");
    if (child == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(3);
        try {
            auto connection = sdbus::createSystemBusConnection();
            auto proxy = sdbus::createProxy(*connection, "org.example.Volumes", pool);
            const std::string name(10 * 1024 * 1024, 'n');
            proxy->callMethod("CreateVolume")
                .onInterface(pool_interface)
                .withTimeout(std::chrono::seconds(60))
                .withArguments(name, static_cast<std::uint64_t>(4 * mib), std::map<std::string, sdbus::Variant>{});
            ::_exit(1);
        } catch (const sdbus::Error& error) {
            ::_exit(error.getName() == "org.example.Volumes.Error.NotAuthorized" ? 0 : 2);
        } catch (...) {
            ::_exit(4);
        }
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class BusLogBound : public BusTest {};

TEST_F(BusLogBound, AnUnprivilegedCallWithATenMegabyteNameLogsAFewKiB)
{
    ASSERT_TRUE(std::filesystem::exists(daemon_log)) << daemon_log << " is missing: not the guest's system bus";
    const auto pool = create_pool("logged", {new_loop().path()});
    const auto before = std::filesystem::file_size(daemon_log);

    EXPECT_EQ(call_with_huge_name_as_nobody(pool), 0)
        << "the call was not refused NotAuthorized (1: it succeeded, 2: another error, 3: no uid 65534)";
    // A root call after it, logged after the refusal (one bus thread writes both).
    create_volume(pool, "after", 4 * mib);

    const auto grown = std::filesystem::file_size(daemon_log) - before;
    std::ifstream log(daemon_log);
    log.seekg(static_cast<std::streamoff>(before));
    std::stringstream added;
    added << log.rdbuf();
    std::cout << fmt::format("the log grew by {} bytes for a refused 10 MB name and one CreateVolume\n", grown);
    EXPECT_NE(added.str().find("refused"), std::string::npos) << "the refusal was not logged:\n" << added.str();
    EXPECT_LT(grown, 4096u) << added.str().substr(0, 4096);
}

}  // namespace
}  // namespace volumes::test
