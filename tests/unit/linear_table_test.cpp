#include "kmod/tables/linear_table.hpp"

#include <array>
#include <limits>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

TEST(LinearTable, OneSegmentMapsDeviceAtOffset)
{
    const std::array segments{LinearSegment{{253, 2}, 2048, 1000}};
    const auto table = linear_table(segments);
    ASSERT_TRUE(succeeded(table));
    ASSERT_EQ(table->size(), 1u);
    EXPECT_EQ(table->front(), (TableLine{0, 1000, "linear", "253:2 2048"}));
    EXPECT_EQ(table->front().to_string(), "0 1000 linear 253:2 2048");
}

TEST(LinearTable, SegmentsRunEndToEnd)
{
    const std::array segments{
        LinearSegment{{8, 16}, 2048, 100},
        LinearSegment{{8, 32}, 0, 200},
        LinearSegment{{253, 7}, 4096, 50},
    };
    const auto table = linear_table(segments);
    ASSERT_TRUE(succeeded(table));
    EXPECT_EQ(to_string(*table),
              "0 100 linear 8:16 2048\n"
              "100 200 linear 8:32 0\n"
              "300 50 linear 253:7 4096");
    EXPECT_EQ(table_length(*table), 350u);
}

TEST(LinearTable, RejectsNoSegments)
{
    EXPECT_TRUE(fails_with(linear_table({}), ErrorCode::InvalidArgument));
}

TEST(LinearTable, RejectsZeroLengthSegment)
{
    const std::array segments{LinearSegment{{8, 16}, 0, 100}, LinearSegment{{8, 32}, 0, 0}};
    const auto table = linear_table(segments);
    ASSERT_TRUE(fails_with(table, ErrorCode::InvalidArgument));
    EXPECT_NE(table.error().message.find("segment 1"), std::string::npos) << table.error().message;
}

TEST(LinearTable, RejectsSegmentPastLastSector)
{
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    const std::array segments{LinearSegment{{8, 16}, max - 10, 11}};
    EXPECT_TRUE(fails_with(linear_table(segments), ErrorCode::InvalidArgument));
}

TEST(LinearTable, RejectsTotalLengthOverflow)
{
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    const std::array segments{LinearSegment{{8, 16}, 0, max - 5}, LinearSegment{{8, 32}, 0, 10}};
    EXPECT_TRUE(fails_with(linear_table(segments), ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::kmod
