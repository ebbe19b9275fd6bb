#include <gtest/gtest.h>
#include <libdevmapper.h>

#include "kmod/udev_identity.hpp"

namespace volumes::kmod {
namespace {

TEST(UdevIdentity, VisibleAsksNothingOfTheRules)
{
    EXPECT_EQ(udev_rule_flags(UdevIdentity::Visible), 0);
}

// 60-persistent-storage-dm.rules (13-dm-disk.rules upstream) lowers its by-* links.
TEST(UdevIdentity, LowPriorityOnlyLowersItsLinks)
{
    EXPECT_EQ(udev_rule_flags(UdevIdentity::LowPriority), DM_UDEV_LOW_PRIORITY_FLAG);
}

// As lvm2 flags its layers: no subsystem rules, no blkid and by-* links, no later rules
// (udisks2, systemd); the /dev/mapper node stays, and so does udev's management of it.
TEST(UdevIdentity, InternalDisablesSubsystemDiskAndOtherRulesButKeepsTheMapperNode)
{
    const auto flags = udev_rule_flags(UdevIdentity::Internal);
    EXPECT_EQ(flags, DM_UDEV_DISABLE_SUBSYSTEM_RULES_FLAG | DM_UDEV_DISABLE_DISK_RULES_FLAG |
                         DM_UDEV_DISABLE_OTHER_RULES_FLAG);
    EXPECT_EQ(flags & DM_UDEV_DISABLE_DM_RULES_FLAG, 0);
    EXPECT_EQ(flags & DM_UDEV_DISABLE_LIBRARY_FALLBACK, 0);
}

}  // namespace
}  // namespace volumes::kmod
