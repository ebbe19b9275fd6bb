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

// "volumes-" + pool + "-" + volume + "_rimage_99" must fit in 127 bytes: 8 + 1 + 10 = 19
// bytes of frame, so pool and volume share 108, a '-' counting twice.
TEST(DmNameLimit, TheLongestNamesThatFitAndOneMore)
{
    const std::string pool(54, 'p');
    EXPECT_TRUE(check_dm_names_fit(pool, std::string(54, 'v')));
    const auto over = check_dm_names_fit(pool, std::string(55, 'v'));
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(over.error().message.find("shorten the names by 1"), std::string::npos) << over.error().message;
    EXPECT_EQ(dm_name(pool, std::string(54, 'v'), "rimage_99").size(), max_dm_name_bytes);
}

TEST(DmNameLimit, DashesCountTwice)
{
    EXPECT_TRUE(check_dm_names_fit(std::string(27, '-').insert(0, "p"), std::string(53, 'v')));
    EXPECT_FALSE(check_dm_names_fit(std::string(27, '-').insert(0, "p"), std::string(54, 'v')));
}

TEST(DmNameLimit, APoolNameMustLeaveRoomForAOneCharacterVolume)
{
    EXPECT_TRUE(check_dm_names_fit(std::string(64, 'p'), {}));
    EXPECT_TRUE(check_dm_names_fit(std::string(53, '-').insert(0, "p"), {}));
    const auto full = check_dm_names_fit(std::string(54, '-').insert(0, "p"), {});
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().code, ErrorCode::InvalidArgument);
    // 64 + 64 characters, each valid alone, do not fit together.
    EXPECT_FALSE(check_dm_names_fit(std::string(64, 'p'), std::string(64, 'v')));
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
