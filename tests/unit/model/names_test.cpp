#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "pool_fixture.hpp"
#include "service/model/names.hpp"

namespace volumes::model {
namespace {

using testing::uuid_of;
using volumes::testing::fails_with;
using volumes::testing::succeeded;

TEST(PoolName, AcceptsLettersDigitsAndPunctuation)
{
    const std::vector<std::string> names{"a", "tank", "Pool_1", "a+b.c-d", "0", "x.", "a-", std::string(64, 'p')};
    for (const auto& name : names)
        EXPECT_TRUE(succeeded(check_pool_name(name))) << name;
}

TEST(PoolName, RefusesEmptyLongOrStrangeNames)
{
    const std::vector<std::string> names{"", std::string(65, 'p'), "-a", ".a", "a b",
                                         "a/b", "a:b", "caf\xc3\xa9", "a\n"};
    for (const auto& name : names)
        EXPECT_TRUE(fails_with(check_pool_name(name), ErrorCode::InvalidArgument)) << name;
}

TEST(PoolName, MayEndLikeASubVolume)
{
    EXPECT_TRUE(succeeded(check_pool_name("a_cow")));
    EXPECT_TRUE(succeeded(check_pool_name("x_rimage")));
}

TEST(VolumeName, AcceptsLettersDigitsAndPunctuation)
{
    const std::vector<std::string> names{"v", "home", "data-1", "a+b.c_d",
                                         "cow", "real", "my_vol", std::string(64, 'v')};
    for (const auto& name : names)
        EXPECT_TRUE(succeeded(check_volume_name(name))) << name;
}

TEST(VolumeName, RefusesEmptyLongOrStrangeNames)
{
    const std::vector<std::string> names{"", std::string(65, 'v'), "-v", ".v", "v w", "v/w", "v\t"};
    for (const auto& name : names)
        EXPECT_TRUE(fails_with(check_volume_name(name), ErrorCode::InvalidArgument)) << name;
}

TEST(VolumeName, RefusesReservedRoleSuffixesAnywhere)
{
    const std::vector<std::string> names{"v_rmeta", "v_tmeta", "v_rimage", "v_real", "v_cow",
                                         "v_tdata", "a_cow_b", "_tdata", "v_rimage_0"};
    for (const auto& name : names)
        EXPECT_TRUE(fails_with(check_volume_name(name), ErrorCode::InvalidArgument)) << name;
}

TEST(DmName, NamesVisibleAndHiddenDevices)
{
    EXPECT_EQ(dm_name("tank", "home"), "volumes-tank-home");
    EXPECT_EQ(dm_name("tank", "home", role::cow), "volumes-tank-home_cow");
    EXPECT_EQ(dm_name("tank", "mirror", role::rimage(2)), "volumes-tank-mirror_rimage_2");
}

TEST(DmName, DoublesDashesSoNamesCannotCollide)
{
    EXPECT_EQ(dm_name("a-b", "c"), "volumes-a--b-c");
    EXPECT_EQ(dm_name("a", "b-c"), "volumes-a-b--c");
    EXPECT_NE(dm_name("a-b", "c"), dm_name("a", "b-c"));
    EXPECT_NE(dm_name("a-b", "c-d", role::real), dm_name("a", "b-c-d", role::real));
}

TEST(Roles, NameEachSubVolume)
{
    EXPECT_EQ(role::rmeta(0), "rmeta_0");
    EXPECT_EQ(role::rimage(7), "rimage_7");
    EXPECT_EQ(role::real, "real");
    EXPECT_EQ(role::cow, "cow");
    EXPECT_EQ(role::tmeta, "tmeta");
    EXPECT_EQ(role::tdata, "tdata");
}

TEST(DmUuid, StartsWithThePoolPrefix)
{
    const Uuid pool = uuid_of(0xab);
    const Uuid volume = uuid_of(0x12);
    EXPECT_EQ(dm_uuid_prefix(pool), "VOLUMES-abababab-abab-abab-abab-abababababab-");
    EXPECT_EQ(dm_uuid(pool, volume),
              "VOLUMES-abababab-abab-abab-abab-abababababab-12121212-1212-1212-1212-121212121212");
    EXPECT_EQ(dm_uuid(pool, volume, role::tmeta),
              "VOLUMES-abababab-abab-abab-abab-abababababab-12121212-1212-1212-1212-121212121212-tmeta");
    EXPECT_TRUE(dm_uuid(pool, volume, role::rmeta(1)).starts_with(dm_uuid_prefix(pool)));
}

TEST(DmUuid, AnotherPoolsDevicesDoNotShareThePrefix)
{
    EXPECT_FALSE(dm_uuid(uuid_of(0xab), uuid_of(0x12)).starts_with(dm_uuid_prefix(uuid_of(0xac))));
}

}  // namespace
}  // namespace volumes::model
