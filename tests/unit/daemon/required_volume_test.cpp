#include "service/daemon/required_volume.hpp"

#include <gtest/gtest.h>

namespace volumes::daemon {
namespace {

using engine::MemberSummary;
using engine::PoolSummary;
using engine::VolumeSummary;

metadata::Uuid uuid(const char* text)
{
    return *metadata::Uuid::parse(text);
}

const RequiredVolume root{"sys", "root"};

PoolSummary pool(const char* name)
{
    PoolSummary summary;
    summary.name = name;
    summary.members = {MemberSummary{uuid("11111111-1111-4111-8111-111111111111"), "/dev/vda", 100, true},
                       MemberSummary{uuid("22222222-2222-4222-8222-222222222222"), "/dev/vdb", 100, true}};
    return summary;
}

VolumeSummary volume(const char* name, bool active)
{
    VolumeSummary summary;
    summary.name = name;
    summary.pool = "sys";
    summary.active = active;
    return summary;
}

TEST(RequiredVolume, AnActiveVolumeNeedsNoReason)
{
    EXPECT_EQ(why_not_active(root, {pool("other"), pool("sys")}, {}, {volume("swap", false), volume("root", true)}, true),
              std::nullopt);
}

TEST(RequiredVolume, AMissingPoolIsNamedWithWhatStartUpRefused)
{
    const auto reason = why_not_active(root, {pool("other")}, {"device /dev/vdc: its label is corrupt"}, {}, false);
    ASSERT_TRUE(reason);
    EXPECT_TRUE(reason->awaits_devices);
    EXPECT_EQ(reason->reason, "no pool named 'sys' was found on the attached devices; devices and pools that were refused: "
                       "device /dev/vdc: its label is corrupt");
    EXPECT_EQ(why_not_active(root, {}, {}, {}, false)->reason, "no pool named 'sys' was found on the attached devices");
}

TEST(RequiredVolume, AForeignPoolNamesItsOwnerAndTheImport)
{
    auto foreign = pool("sys");
    foreign.foreign = "it belongs to host 0123456789abcdef0123456789abcdef";
    const auto reason = why_not_active(root, {foreign}, {}, {volume("root", false)}, false);
    ASSERT_TRUE(reason);
    EXPECT_FALSE(reason->awaits_devices);
    EXPECT_EQ(reason->reason,
              "pool 'sys' is foreign: it belongs to host 0123456789abcdef0123456789abcdef; it is activated only "
              "after an import on this machine (volumectl import sys)");
}

TEST(RequiredVolume, AnIncompletePoolNamesEveryMissingMember)
{
    auto incomplete = pool("sys");
    incomplete.complete = false;
    incomplete.members[0].present = false;
    incomplete.members[0].path.clear();
    const auto reason = why_not_active(root, {incomplete}, {}, {volume("root", false)}, false);
    ASSERT_TRUE(reason);
    EXPECT_TRUE(reason->awaits_devices);
    EXPECT_EQ(reason->reason,
              "pool 'sys' is incomplete: 1 of its 2 members missing (11111111-1111-4111-8111-111111111111), 1 present");
}

std::string reason_without_waiting(const PoolSummary& pool, const VolumeSummary& volume)
{
    const auto reason = why_not_active(root, {pool}, {}, {volume}, false);
    if (!reason)
        return "active";
    return reason->awaits_devices ? "awaits devices: " + reason->reason : reason->reason;
}

TEST(RequiredVolume, AnInactiveVolumeSaysWhyWithThePoolsProblems)
{
    auto troubled = pool("sys");
    EXPECT_EQ(reason_without_waiting(troubled, volume("home", true)), "pool 'sys' has no volume 'root'");
    EXPECT_EQ(reason_without_waiting(troubled, volume("root", false)),
              "volume 'root' of pool 'sys' is not active: it is recorded inactive (Volume.Activate from a running "
              "system records it active)");
    EXPECT_EQ(reason_without_waiting(troubled, volume("root", true)),
              "volume 'root' of pool 'sys' is not active: start-up reported no reason");
    troubled.problems = {"reconciling its devices: dm_task_run failed", "starting its pending snapshot merges: x"};
    EXPECT_EQ(reason_without_waiting(troubled, volume("root", true)),
              "volume 'root' of pool 'sys' is not active: reconciling its devices: dm_task_run failed; starting its "
              "pending snapshot merges: x");
}

}  // namespace
}  // namespace volumes::daemon
