// volumectl's exit status and --json error report for success, refusal (an unprivileged
// caller), bad input and objects that do not exist; --no-ask-password's option.
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "object_paths.hpp"
#include "state_snapshot.hpp"
#include "volumectl_fixture.hpp"

namespace volumes::test {
namespace {

using nlohmann::json;

// The --json error report: its name and exit_code; the message must say something.
void expect_error(const ProcessResult& result, int status, const std::string& name)
{
    EXPECT_EQ(result.status, status) << result.describe();
    const auto report = parse_stdout(result);
    EXPECT_EQ(report.at("error").at("name"), name) << result.describe();
    EXPECT_EQ(report.at("error").at("exit_code"), status);
    EXPECT_FALSE(report.at("error").at("message").get<std::string>().empty());
    EXPECT_NE(result.err.find("volumectl: "), std::string::npos) << result.describe();
}

class VolumectlExitCodes : public VolumectlTest {
protected:
    void SetUp() override
    {
        VolumectlTest::SetUp();
        create_pool_with_volumectl("tank", 2);
        volumectl_json({"create", "tank/data", "4M"});
    }
};

TEST_F(VolumectlExitCodes, SuccessIsZero)
{
    EXPECT_EQ(volumectl({"list"}).status, 0);
    EXPECT_EQ(volumectl({"show", "tank/data"}).status, 0);
    // The unprivileged user may read.
    const auto listed = volumectl({"--json", "list"}, unprivileged);
    ASSERT_EQ(listed.status, 0) << listed.describe();
    EXPECT_EQ(parse_stdout(listed).at("volumes").size(), 1u);
}

TEST_F(VolumectlExitCodes, NoAskPasswordSendsTheOptionVolumesdKnows)
{
    // volumesd refuses unknown options and wrong types with InvalidArgument (exit 2), so
    // success means auth.no_user_interaction went out as a boolean.
    const auto created = volumectl({"--json", "--no-ask-password", "create", "tank/other", "4M"});
    ASSERT_EQ(created.status, 0) << created.describe();
    EXPECT_EQ(parse_stdout(created).at("volume").at("name"), "other");
}

TEST_F(VolumectlExitCodes, RefusalOfAnUnprivilegedCallerIsThree)
{
    const auto before = take_snapshot(*bus, loop_paths());
    expect_error(volumectl({"--json", "--no-ask-password", "create", "tank/intruder", "4M"}, unprivileged), 3,
                 "org.example.Volumes.Error.NotAuthorized");
    expect_error(volumectl({"--json", "--no-ask-password", "remove", "tank/data"}, unprivileged), 3,
                 "org.example.Volumes.Error.NotAuthorized");
    expect_error(volumectl({"--json", "--no-ask-password", "deactivate", "tank/data"}, unprivileged), 3,
                 "org.example.Volumes.Error.NotAuthorized");
    const auto after = take_snapshot(*bus, loop_paths());
    EXPECT_TRUE(differences(before, after).empty()) << fmt::format("{}", fmt::join(differences(before, after), "\n"));
}

TEST_F(VolumectlExitCodes, BadInputIsTwo)
{
    // Refused by volumesd (InvalidArgument).
    expect_error(volumectl({"--json", "create", "tank/bad_rimage", "4M"}), 2, "org.example.Volumes.Error.InvalidArgument");
    expect_error(volumectl({"--json", "create", "--images", "3", "tank/lonely", "4M"}), 2,
                 "org.example.Volumes.Error.InvalidArgument");
    // Refused by volumectl itself.
    expect_error(volumectl({"--json", "create", "tank/x", "12Q"}), 2, "UsageError");
    expect_error(volumectl({"--json", "create", "tank", "4M"}), 2, "UsageError");
    expect_error(volumectl({"--json", "create", "tank/x", "0"}), 2, "UsageError");
    EXPECT_EQ(volumectl({"create", "tank/x"}).status, 2);             // missing size
    EXPECT_EQ(volumectl({"create", "--kind", "raid5", "tank/x", "4M"}).status, 2);
    EXPECT_EQ(volumectl({"no-such-command"}).status, 2);
    EXPECT_EQ(volumectl_json({"list"}).at("volumes").size(), 1u);
}

TEST_F(VolumectlExitCodes, NotFoundIsFour)
{
    expect_error(volumectl({"--json", "show", "tank/nothing"}), 4, "NotFound");
    expect_error(volumectl({"--json", "show", "nopool"}), 4, "NotFound");
    // Digits: neither a pool of that name nor a job of that number.
    expect_error(volumectl({"--json", "show", "9999"}), 4, "NotFound");
    expect_error(volumectl({"--json", "create", "nopool/x", "4M"}), 4, "NotFound");
    expect_error(volumectl({"--json", "remove", "nopool"}), 4, "NotFound");
    // No job there: the bus itself says so.
    expect_error(volumectl({"--json", "wait", "9999"}), 4, "org.freedesktop.DBus.Error.UnknownObject");
    // volumesd's own NotFound: a device that does not exist.
    expect_error(volumectl({"--json", "create-pool", "other", "/dev/no-such-disk"}), 4,
                 "org.example.Volumes.Error.NotFound");
}

TEST_F(VolumectlExitCodes, OtherRefusals)
{
    expect_error(volumectl({"--json", "create", "tank/data", "4M"}), 5, "org.example.Volumes.Error.AlreadyExists");
    expect_error(volumectl({"--json", "remove", "tank"}), 7, "org.example.Volumes.Error.InUse");
    expect_error(volumectl({"--json", "merge", "tank/data"}), 8, "NotSupported");
    expect_error(volumectl({"--json", "create", "tank/huge", "1T"}), 10, "org.example.Volumes.Error.NoSpace");
}

}  // namespace
}  // namespace volumes::test
