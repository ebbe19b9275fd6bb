#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_builder.hpp"
#include "service/engine/member_removal.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/model/pool_checks.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::succeeded;
using namespace testing;

// fails_with, and the message says `words`.
template <class T>
::testing::AssertionResult fails_with(const Result<T>& result, ErrorCode code, const std::string& words)
{
    auto failed = volumes::testing::fails_with(result, code);
    if (!failed || result.error().message.find(words) != std::string::npos)
        return failed;
    return ::testing::AssertionFailure() << "'" << result.error().message << "' does not say '" << words << "'";
}

const model::Uuid first = uuid_of(0xA0);
const model::Uuid second = uuid_of(0xA1);

TEST(MemberRemoval, AMemberWithoutExtentsLeavesAndTheRestStays)
{
    auto pool = *add_linear_volume(empty_pool(2, 10), {"root", 2 * kExtent}, uuid_of(1));
    const auto& data = std::get<model::LinearLayout>(pool.volumes.front().layout).data;
    const auto used = data.front().member;
    const auto unused = used == first ? second : first;
    auto next = without_member(pool, unused);
    ASSERT_TRUE(succeeded(next));
    ASSERT_EQ(next->members.size(), 1u);
    EXPECT_EQ(next->members.front().uuid, used);
    EXPECT_EQ(next->volumes, pool.volumes);
    EXPECT_TRUE(succeeded(model::check_pool(*next)));
}

TEST(MemberRemoval, AMemberHoldingExtentsIsRefusedNamingEveryVolumeOnIt)
{
    auto pool = *add_raid1_volume(empty_pool(2, 10), {"mirror", kExtent, 2}, uuid_of(1));
    pool = *add_linear_volume(pool, {"plain", kExtent}, uuid_of(2));
    const auto& plain = std::get<model::LinearLayout>(pool.volumes.back().layout).data;
    auto refused = without_member(pool, plain.front().member);
    EXPECT_TRUE(fails_with(refused, ErrorCode::InUse, "'mirror', 'plain'"));
}

TEST(MemberRemoval, TheLastMemberAndAStrangerAreRefused)
{
    EXPECT_TRUE(fails_with(without_member(empty_pool(1, 10), first), ErrorCode::InvalidArgument, "destroy the pool"));
    EXPECT_TRUE(fails_with(without_member(empty_pool(2, 10), uuid_of(0x33)), ErrorCode::NotFound, "not a member"));
}

TEST(MemberRemoval, AMemberIsNamedByUuidPathOrDeviceNumber)
{
    const std::vector<MemberIdentity> members{{first, "/dev/loop3", 0x0703}, {second, "/dev/vdb", 0xFE10}};
    EXPECT_EQ(member_named(members, second.to_string(), 0).value_or(9), 1u);
    EXPECT_EQ(member_named(members, "/dev/loop3", 0).value_or(9), 0u);
    EXPECT_EQ(member_named(members, "/dev/disk/by-id/virtio-b", 0xFE10).value_or(9), 1u);
    EXPECT_TRUE(fails_with(member_named(members, "/dev/sdz", 0x0810), ErrorCode::NotFound, "/dev/sdz"));
    EXPECT_TRUE(fails_with(member_named(members, "", 0), ErrorCode::NotFound, "neither"));
}

}  // namespace
}  // namespace volumes::engine
