#include "service/bus/requests/request_parsing.hpp"

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::bus {
namespace {

using engine::ErrorCode;
using volumes::testing::fails_with;
using volumes::testing::succeeded;

TEST(ParseCreatePool, TakesDevicesAndOptions)
{
    auto request = parse_create_pool("tank", {"/dev/loop0", "/dev/loop1"},
                                     {{"force", sdbus::Variant(true)}, {"extent_size", sdbus::Variant(std::uint64_t{8} << 20)}});
    ASSERT_TRUE(succeeded(request));
    EXPECT_EQ(request->devices.size(), 2u);
    EXPECT_TRUE(request->options.force);
    EXPECT_EQ(request->options.extent_size, std::uint64_t{8} << 20);
}

TEST(ParseCreatePool, RefusesUnknownOptionsAndWrongTypes)
{
    EXPECT_TRUE(fails_with(parse_create_pool("tank", {"/dev/loop0"}, {{"stripes", sdbus::Variant(true)}}),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(parse_create_pool("tank", {"/dev/loop0"}, {{"extent_size", sdbus::Variant(true)}}),
                           ErrorCode::InvalidArgument));
}

TEST(ParseCreateVolume, LinearByDefault)
{
    auto request = parse_create_volume("data", 1 << 20, {});
    ASSERT_TRUE(succeeded(request));
    ASSERT_TRUE(std::holds_alternative<engine::LinearRequest>(*request));
    EXPECT_EQ(std::get<engine::LinearRequest>(*request).size, 1u << 20);
}

TEST(ParseCreateVolume, Raid1WithImagesAndRegionSize)
{
    auto request = parse_create_volume("mirror", 1 << 20,
                                       {{"kind", sdbus::Variant(std::string("raid1"))},
                                        {"images", sdbus::Variant(std::uint32_t{3})},
                                        {"region_size", sdbus::Variant(std::uint64_t{64} << 10)}});
    ASSERT_TRUE(succeeded(request));
    const auto& raid1 = std::get<engine::Raid1Request>(*request);
    EXPECT_EQ(raid1.images, 3u);
    EXPECT_EQ(raid1.region_size, std::uint64_t{64} << 10);
}

TEST(ParseCreateVolume, RefusesAbsurdSizesUnknownKindsAndRaidOptionsOnLinear)
{
    EXPECT_TRUE(fails_with(parse_create_volume("v", 0, {}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(parse_create_volume("v", ~std::uint64_t{0}, {}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(parse_create_volume("v", 1 << 20, {{"kind", sdbus::Variant(std::string("raid5"))}}),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(parse_create_volume("v", 1 << 20, {{"images", sdbus::Variant(std::uint32_t{2})}}),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(parse_create_volume("v", 1 << 20, {{"size", sdbus::Variant(std::uint64_t{2})}}),
                           ErrorCode::InvalidArgument));
}

TEST(ParseSplitTrack, SlotNameAndRedundancy)
{
    auto request = parse_split_track({{"image", sdbus::Variant(std::uint32_t{1})},
                                      {"name", sdbus::Variant(std::string("backup"))},
                                      {"allow_no_redundancy", sdbus::Variant(true)}});
    ASSERT_TRUE(succeeded(request));
    EXPECT_EQ(request->slot, 1u);
    EXPECT_EQ(request->image_name, "backup");
    EXPECT_TRUE(request->allow_no_redundancy);

    auto defaults = parse_split_track({});
    ASSERT_TRUE(succeeded(defaults));
    EXPECT_EQ(defaults->slot, std::nullopt);
    EXPECT_TRUE(defaults->image_name.empty());
    EXPECT_FALSE(defaults->allow_no_redundancy);

    EXPECT_TRUE(fails_with(parse_split_track({{"name", sdbus::Variant(std::string())}}), ErrorCode::InvalidArgument));
}

TEST(ParseRepair, MembersAreOptional)
{
    auto defaults = parse_repair({});
    ASSERT_TRUE(succeeded(defaults));
    EXPECT_TRUE(defaults->members.empty());
    auto chosen = parse_repair({{"members", sdbus::Variant(std::vector<std::string>{"/dev/sdc", "a1a1"})},
                                {kNoUserInteraction, sdbus::Variant(true)}});
    ASSERT_TRUE(succeeded(chosen));
    EXPECT_EQ(chosen->members, (std::vector<std::string>{"/dev/sdc", "a1a1"}));
}

TEST(ParseRepair, RefusesBadMembers)
{
    const auto refused = [](Options options) { return fails_with(parse_repair(options), ErrorCode::InvalidArgument); };
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::vector<std::string>{})}}));
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::vector<std::string>{"/dev/sdc", ""})}}));
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::vector<std::string>{"/dev/sdc", "/dev/sdc"})}}));
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::vector<std::string>(65, "x"))}}));
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::string("/dev/sdc"))}}));
    EXPECT_TRUE(refused({{"member", sdbus::Variant(std::vector<std::string>{"/dev/sdc"})}}));
}

TEST(ParseEvacuateMember, RemoveAndMaxRateAreOptional)
{
    auto defaults = parse_evacuate_member("/dev/sdc", {});
    ASSERT_TRUE(succeeded(defaults));
    EXPECT_EQ(defaults->device, "/dev/sdc");
    EXPECT_FALSE(defaults->move.remove_member);
    EXPECT_EQ(defaults->move.max_rate_kibs, std::nullopt);
    auto chosen = parse_evacuate_member("/dev/sdc", {{"remove", sdbus::Variant(true)},
                                                     {"max_rate", sdbus::Variant(std::uint32_t{512})},
                                                     {kNoUserInteraction, sdbus::Variant(true)}});
    ASSERT_TRUE(succeeded(chosen));
    EXPECT_TRUE(chosen->move.remove_member);
    EXPECT_EQ(chosen->move.max_rate_kibs, 512u);
}

TEST(ParseEvacuateMember, RefusesBadArguments)
{
    EXPECT_TRUE(fails_with(parse_evacuate_member("", {}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(parse_evacuate_member("/dev/sdc", {{"remove", sdbus::Variant(std::string("yes"))}}),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(parse_evacuate_member("/dev/sdc", {{"max_rate", sdbus::Variant(std::uint64_t{1} << 40)}}),
                           ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(parse_evacuate_member("/dev/sdc", {{"force", sdbus::Variant(true)}}),
                           ErrorCode::InvalidArgument));
}

TEST(ParseConvertToRaid1, MembersAndRegionSizeAreOptional)
{
    auto defaults = parse_convert_to_raid1({});
    ASSERT_TRUE(succeeded(defaults));
    EXPECT_TRUE(defaults->members.empty());
    EXPECT_EQ(defaults->region_size, engine::kDefaultRegionSize);
    auto chosen = parse_convert_to_raid1({{"members", sdbus::Variant(std::vector<std::string>{"/dev/sdc"})},
                                          {"region_size", sdbus::Variant(std::uint64_t{64 * 1024})},
                                          {kNoUserInteraction, sdbus::Variant(true)}});
    ASSERT_TRUE(succeeded(chosen));
    EXPECT_EQ(chosen->members, (std::vector<std::string>{"/dev/sdc"}));
    EXPECT_EQ(chosen->region_size, 64u * 1024);
    auto as_u = parse_convert_to_raid1({{"region_size", sdbus::Variant(std::uint32_t{8192})}});
    ASSERT_TRUE(succeeded(as_u));
    EXPECT_EQ(as_u->region_size, 8192u);
}

TEST(ParseConvertToRaid1, RefusesBadOptions)
{
    const auto refused = [](Options options) {
        return fails_with(parse_convert_to_raid1(options), ErrorCode::InvalidArgument);
    };
    // "members" as Raid1.Repair checks it.
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::vector<std::string>{})}}));
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::vector<std::string>{"/dev/sdc", "/dev/sdc"})}}));
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::vector<std::string>{""})}}));
    EXPECT_TRUE(refused({{"members", sdbus::Variant(std::string("/dev/sdc"))}}));
    EXPECT_TRUE(refused({{"region_size", sdbus::Variant(std::string("512K"))}}));
    EXPECT_TRUE(refused({{"images", sdbus::Variant(std::uint32_t{3})}}));
}

TEST(ParseNoOptions, OnlyTheAuthorizationOption)
{
    EXPECT_TRUE(succeeded(parse_no_options({{kNoUserInteraction, sdbus::Variant(true)}})));
    EXPECT_TRUE(fails_with(parse_no_options({{"force", sdbus::Variant(true)}}), ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::bus
