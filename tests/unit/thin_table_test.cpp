#include "kmod/tables/thin_table.hpp"

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

ThinTable thin()
{
    return ThinTable{2097152, {253, 4}, 7, std::nullopt};
}

TEST(ThinTable, PoolAndDeviceId)
{
    const auto line = thin_table_line(thin());
    ASSERT_TRUE(succeeded(line));
    EXPECT_EQ(line->to_string(), "0 2097152 thin 253:4 7");
}

TEST(ThinTable, ExternalOrigin)
{
    auto table = thin();
    table.external_origin = DeviceNumber{253, 9};
    const auto line = thin_table_line(table);
    ASSERT_TRUE(succeeded(line));
    EXPECT_EQ(line->to_string(), "0 2097152 thin 253:4 7 253:9");
}

TEST(ThinTable, DeviceIdIsTwentyFourBits)
{
    auto table = thin();
    table.device_id = (1u << 24) - 1;
    EXPECT_EQ(thin_table_line(table).value().params, "253:4 16777215");
    table.device_id = 1u << 24;
    EXPECT_TRUE(fails_with(thin_table_line(table), ErrorCode::InvalidArgument));
}

TEST(ThinTable, RejectsPoolAsExternalOrigin)
{
    auto table = thin();
    table.external_origin = table.pool;
    EXPECT_TRUE(fails_with(thin_table_line(table), ErrorCode::InvalidArgument));
}

TEST(ThinTable, RejectsZeroLength)
{
    auto table = thin();
    table.length = 0;
    EXPECT_TRUE(fails_with(thin_table_line(table), ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::kmod
