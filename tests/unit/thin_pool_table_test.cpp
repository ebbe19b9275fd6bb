#include "kmod/tables/thin_pool_table.hpp"

#include <cstdint>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

ThinPoolTable pool()
{
    ThinPoolTable table;
    table.length = 20971520;
    table.metadata = {253, 0};
    table.data = {253, 1};
    table.block_size = 128;
    table.low_water_mark = 0;
    return table;
}

TEST(ThinPoolTable, WithoutFeaturesWritesAZeroCount)
{
    const auto line = thin_pool_table_line(pool());
    ASSERT_TRUE(succeeded(line));
    EXPECT_EQ(line->to_string(), "0 20971520 thin-pool 253:0 253:1 128 0 0");
}

TEST(ThinPoolTable, FeaturesInDocumentedOrder)
{
    auto table = pool();
    table.block_size = 1024;
    table.low_water_mark = 2560;
    table.error_if_no_space = true;
    table.read_only = true;
    table.discards = ThinPoolDiscards::Ignore;
    table.skip_block_zeroing = true;
    const auto line = thin_pool_table_line(table);
    ASSERT_TRUE(succeeded(line));
    EXPECT_EQ(line->to_string(),
              "0 20971520 thin-pool 253:0 253:1 1024 2560 4 skip_block_zeroing ignore_discard read_only "
              "error_if_no_space");
}

TEST(ThinPoolTable, NoDiscardPassdown)
{
    auto table = pool();
    table.discards = ThinPoolDiscards::NoPassdown;
    EXPECT_EQ(thin_pool_table_line(table).value().params, "253:0 253:1 128 0 1 no_discard_passdown");
}

TEST(ThinPoolTable, BlockSizeBounds)
{
    auto table = pool();
    for (const std::uint32_t size : {128u, 256u, 65536u, 2097152u}) {
        table.block_size = size;
        EXPECT_TRUE(succeeded(thin_pool_table_line(table))) << size;
    }
    for (const std::uint32_t size : {0u, 64u, 127u, 192u, 2097152u + 128u, 4194304u}) {
        table.block_size = size;
        EXPECT_TRUE(fails_with(thin_pool_table_line(table), ErrorCode::InvalidArgument)) << size;
    }
}

TEST(ThinPoolTable, RejectsMetadataOnTheDataDevice)
{
    auto table = pool();
    table.metadata = table.data;
    EXPECT_TRUE(fails_with(thin_pool_table_line(table), ErrorCode::InvalidArgument));
}

TEST(ThinPoolTable, RejectsZeroLength)
{
    auto table = pool();
    table.length = 0;
    EXPECT_TRUE(fails_with(thin_pool_table_line(table), ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::kmod
