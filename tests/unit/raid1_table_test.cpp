#include "kmod/tables/raid1_table.hpp"

#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

Raid1Leg leg(std::uint32_t meta_minor, std::uint32_t data_minor)
{
    return Raid1Leg{DeviceNumber{253, meta_minor}, DeviceNumber{253, data_minor}};
}

Raid1Table two_legs()
{
    Raid1Table table;
    table.length = 2097152;
    table.legs = {leg(2, 3), leg(4, 5)};
    return table;
}

std::string params_of(const Raid1Table& table)
{
    const auto line = raid1_table_line(table);
    EXPECT_TRUE(succeeded(line));
    return line ? line->params : std::string{};
}

TEST(Raid1Table, ReproducesTheDocumentedSplitLine)
{
    Raid1Table table;
    table.length = 2097152;
    table.region_size = 1024;
    table.legs = {leg(2, 3), Raid1Leg{}};
    const auto line = raid1_table_line(table);
    ASSERT_TRUE(succeeded(line));
    EXPECT_EQ(line->start, 0u);
    EXPECT_EQ(line->length, 2097152u);
    EXPECT_EQ(line->target_type, "raid");
    EXPECT_EQ(line->to_string(), "0 2097152 raid raid1 3 0 region_size 1024 2 253:2 253:3 - -");
}

TEST(Raid1Table, WithoutOptionsCountsOnlyTheChunkSize)
{
    EXPECT_EQ(params_of(two_legs()), "raid1 1 0 2 253:2 253:3 253:4 253:5");
}

TEST(Raid1Table, DataWithoutMetadataPrintsDash)
{
    auto table = two_legs();
    table.legs[1].metadata.reset();
    EXPECT_EQ(params_of(table), "raid1 1 0 2 253:2 253:3 - 253:5");
}

TEST(Raid1Table, SyncFlagsCountOneWord)
{
    auto table = two_legs();
    table.initial_sync = Raid1InitialSync::Sync;
    EXPECT_EQ(params_of(table), "raid1 2 0 sync 2 253:2 253:3 253:4 253:5");
    table.initial_sync = Raid1InitialSync::NoSync;
    EXPECT_EQ(params_of(table), "raid1 2 0 nosync 2 253:2 253:3 253:4 253:5");
}

TEST(Raid1Table, EveryOptionInDocumentedOrderAndCounted)
{
    auto table = two_legs();
    table.legs.push_back(leg(6, 7));
    table.initial_sync = Raid1InitialSync::NoSync;
    table.daemon_sleep_ms = 5000;
    table.min_recovery_rate_kbs = 100;
    table.max_recovery_rate_kbs = 2000;
    table.write_mostly = {2};
    table.max_write_behind = 256;
    table.region_size = 4096;
    // 1 chunk size + 1 nosync + 2 each for daemon_sleep, min, max, write_mostly, max_write_behind, region_size
    EXPECT_EQ(params_of(table),
              "raid1 14 0 nosync daemon_sleep 5000 min_recovery_rate 100 max_recovery_rate 2000 "
              "write_mostly 2 max_write_behind 256 region_size 4096 "
              "3 253:2 253:3 253:4 253:5 253:6 253:7");
}

TEST(Raid1Table, RepeatedSlotOptionsAreSortedAndCountedEach)
{
    auto table = two_legs();
    table.legs.push_back(leg(6, 7));
    table.legs.push_back(leg(8, 9));
    table.rebuild = {3, 1};
    table.write_mostly = {2, 0};
    table.region_size = 1024;
    EXPECT_EQ(params_of(table),
              "raid1 11 0 rebuild 1 rebuild 3 write_mostly 0 write_mostly 2 region_size 1024 "
              "4 253:2 253:3 253:4 253:5 253:6 253:7 253:8 253:9");
}

TEST(Raid1Table, RebuildOfAReturningLeg)
{
    Raid1Table table = two_legs();
    table.rebuild = {1};
    EXPECT_EQ(params_of(table), "raid1 3 0 rebuild 1 2 253:2 253:3 253:4 253:5");
}

TEST(Raid1Table, MaxRecoveryRateZeroMeansUnlimited)
{
    auto table = two_legs();
    table.min_recovery_rate_kbs = 500;
    table.max_recovery_rate_kbs = 0;
    EXPECT_EQ(params_of(table), "raid1 5 0 min_recovery_rate 500 max_recovery_rate 0 2 253:2 253:3 253:4 253:5");
}

TEST(Raid1Table, RegionSizeAtTheBitmapMinimumIsAccepted)
{
    auto table = two_legs();
    table.length = std::uint64_t{1} << 31;  // needs regions of at least 2^31 / 2^21 = 1024 sectors
    table.region_size = 1024;
    EXPECT_TRUE(succeeded(raid1_table_line(table)));
}

TEST(Raid1Table, RegionSizeEqualToLengthIsAccepted)
{
    auto table = two_legs();
    table.length = 8192;
    table.region_size = 8192;
    EXPECT_TRUE(succeeded(raid1_table_line(table)));
}

TEST(Raid1Table, MessageNamesTheKernelRule)
{
    auto table = two_legs();
    table.legs[1].data.reset();
    const auto line = raid1_table_line(table);
    ASSERT_TRUE(fails_with(line, ErrorCode::InvalidArgument));
    EXPECT_NE(line.error().message.find("No data device supplied with metadata device"), std::string::npos)
        << line.error().message;
}

struct InvalidRaid1 {
    std::string name;
    std::function<void(Raid1Table&)> break_it;
};

class Raid1TableRejects : public ::testing::TestWithParam<InvalidRaid1> {};

TEST_P(Raid1TableRejects, InvalidInput)
{
    auto table = two_legs();
    ASSERT_TRUE(succeeded(raid1_table_line(table)));  // the base line is valid
    GetParam().break_it(table);
    EXPECT_TRUE(fails_with(raid1_table_line(table), ErrorCode::InvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(
    Raid1Table, Raid1TableRejects,
    ::testing::Values(
        InvalidRaid1{"ZeroLength", [](Raid1Table& t) { t.length = 0; }},
        InvalidRaid1{"NoLegs", [](Raid1Table& t) { t.legs.clear(); }},
        InvalidRaid1{"TooManyLegs", [](Raid1Table& t) { t.legs.resize(254, leg(2, 3)); }},
        InvalidRaid1{"MetadataWithoutData", [](Raid1Table& t) { t.legs[0].data.reset(); }},
        InvalidRaid1{"NoLegHasData", [](Raid1Table& t) { t.legs = {Raid1Leg{}, Raid1Leg{}}; }},
        InvalidRaid1{"RegionSizeNotPowerOfTwo", [](Raid1Table& t) { t.region_size = 1000; }},
        InvalidRaid1{"RegionSizeAboveLength",
                     [](Raid1Table& t) {
                         t.length = 4096;
                         t.region_size = 8192;
                     }},
        InvalidRaid1{"RegionSizeBelowBitmapMinimum",
                     [](Raid1Table& t) {
                         t.length = std::uint64_t{1} << 31;
                         t.region_size = 512;
                     }},
        InvalidRaid1{"RegionSizeAboveIntMax",
                     [](Raid1Table& t) {
                         t.length = std::uint64_t{1} << 40;
                         t.region_size = std::uint64_t{1} << 31;
                     }},
        InvalidRaid1{"RebuildOutOfRange", [](Raid1Table& t) { t.rebuild = {2}; }},
        InvalidRaid1{"RebuildSlotWithoutData",
                     [](Raid1Table& t) {
                         t.legs.push_back(Raid1Leg{});
                         t.rebuild = {2};
                     }},
        InvalidRaid1{"RebuildTwice", [](Raid1Table& t) { t.rebuild = {1, 1}; }},
        InvalidRaid1{"RebuildEveryDataLeg", [](Raid1Table& t) { t.rebuild = {0, 1}; }},
        InvalidRaid1{"RebuildOnlyDataLegBesideMissingSlot",
                     [](Raid1Table& t) {
                         t.legs[1] = Raid1Leg{};
                         t.rebuild = {0};
                     }},
        InvalidRaid1{"RebuildWithSync",
                     [](Raid1Table& t) {
                         t.rebuild = {1};
                         t.initial_sync = Raid1InitialSync::Sync;
                     }},
        InvalidRaid1{"RebuildWithNoSync",
                     [](Raid1Table& t) {
                         t.rebuild = {1};
                         t.initial_sync = Raid1InitialSync::NoSync;
                     }},
        InvalidRaid1{"WriteMostlyOutOfRange", [](Raid1Table& t) { t.write_mostly = {5}; }},
        InvalidRaid1{"WriteMostlyTwice",
                     [](Raid1Table& t) {
                         t.legs.push_back(leg(6, 7));
                         t.write_mostly = {1, 1};
                     }},
        InvalidRaid1{"WriteMostlyEveryLeg", [](Raid1Table& t) { t.write_mostly = {0, 1}; }},
        InvalidRaid1{"DaemonSleepZero", [](Raid1Table& t) { t.daemon_sleep_ms = 0; }},
        InvalidRaid1{"DaemonSleepAboveIntMax", [](Raid1Table& t) { t.daemon_sleep_ms = 0x80000000u; }},
        InvalidRaid1{"MinRecoveryRateAboveIntMax", [](Raid1Table& t) { t.min_recovery_rate_kbs = 0x80000000u; }},
        InvalidRaid1{"MaxRecoveryRateAboveIntMax", [](Raid1Table& t) { t.max_recovery_rate_kbs = 0x80000000u; }},
        InvalidRaid1{"MinRecoveryRateAboveMax",
                     [](Raid1Table& t) {
                         t.min_recovery_rate_kbs = 2000;
                         t.max_recovery_rate_kbs = 1000;
                     }},
        InvalidRaid1{"MaxWriteBehindAboveBitmapCounter", [](Raid1Table& t) { t.max_write_behind = 32768; }}),
    [](const ::testing::TestParamInfo<InvalidRaid1>& info) { return info.param.name; });

TEST(Raid1Table, MaxWriteBehindAtBitmapCounterLimitIsAccepted)
{
    auto table = two_legs();
    table.max_write_behind = 32767;
    EXPECT_TRUE(succeeded(raid1_table_line(table)));
}

}  // namespace
}  // namespace volumes::kmod
