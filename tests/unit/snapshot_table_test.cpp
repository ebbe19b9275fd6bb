#include "kmod/tables/snapshot_table.hpp"

#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

SnapshotTable persistent_snapshot()
{
    SnapshotTable table;
    table.length = 2097152;
    table.origin = {253, 10};  // vg-base-real
    table.cow = {253, 11};     // vg-snap-cow
    table.chunk_size = 8;
    return table;
}

TEST(SnapshotTable, OriginNamesTheRealDevice)
{
    const auto line = snapshot_origin_table_line(2097152, {253, 10});
    ASSERT_TRUE(succeeded(line));
    EXPECT_EQ(line->to_string(), "0 2097152 snapshot-origin 253:10");
}

TEST(SnapshotTable, OriginRejectsZeroLength)
{
    EXPECT_TRUE(fails_with(snapshot_origin_table_line(0, {253, 10}), ErrorCode::InvalidArgument));
}

TEST(SnapshotTable, PersistentSnapshot)
{
    const auto line = snapshot_table_line(persistent_snapshot());
    ASSERT_TRUE(succeeded(line));
    EXPECT_EQ(line->to_string(), "0 2097152 snapshot 253:10 253:11 P 8");
}

TEST(SnapshotTable, StoreCodes)
{
    auto table = persistent_snapshot();
    table.chunk_size = 1024;
    table.store = SnapshotStore::PersistentOverflow;
    EXPECT_EQ(snapshot_table_line(table).value().params, "253:10 253:11 PO 1024");
    table.store = SnapshotStore::Transient;
    EXPECT_EQ(snapshot_table_line(table).value().params, "253:10 253:11 N 1024");
}

TEST(SnapshotTable, Features)
{
    auto table = persistent_snapshot();
    table.discard_zeroes_cow = true;
    EXPECT_EQ(snapshot_table_line(table).value().params, "253:10 253:11 P 8 1 discard_zeroes_cow");
    table.discard_passdown_origin = true;
    EXPECT_EQ(snapshot_table_line(table).value().params,
              "253:10 253:11 P 8 2 discard_zeroes_cow discard_passdown_origin");
}

TEST(SnapshotTable, ChunkSizeBounds)
{
    auto table = persistent_snapshot();
    table.chunk_size = min_snapshot_chunk_sectors;
    EXPECT_TRUE(succeeded(snapshot_table_line(table)));
    table.chunk_size = max_snapshot_chunk_sectors;
    EXPECT_TRUE(succeeded(snapshot_table_line(table)));
}

TEST(SnapshotTable, MergeTakesTheSnapshotParameters)
{
    auto table = persistent_snapshot();
    const auto line = snapshot_merge_table_line(table);
    ASSERT_TRUE(succeeded(line));
    EXPECT_EQ(line->to_string(), "0 2097152 snapshot-merge 253:10 253:11 P 8");
    table.store = SnapshotStore::PersistentOverflow;
    EXPECT_EQ(snapshot_merge_table_line(table).value().params, "253:10 253:11 PO 8");
}

TEST(SnapshotTable, MergeRejectsTransientStore)
{
    auto table = persistent_snapshot();
    table.store = SnapshotStore::Transient;
    EXPECT_TRUE(succeeded(snapshot_table_line(table)));
    EXPECT_TRUE(fails_with(snapshot_merge_table_line(table), ErrorCode::InvalidArgument));
}

struct InvalidSnapshot {
    std::string name;
    std::function<void(SnapshotTable&)> break_it;
};

class SnapshotTableRejects : public ::testing::TestWithParam<InvalidSnapshot> {};

TEST_P(SnapshotTableRejects, InvalidInputForSnapshotAndMerge)
{
    auto table = persistent_snapshot();
    GetParam().break_it(table);
    EXPECT_TRUE(fails_with(snapshot_table_line(table), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(snapshot_merge_table_line(table), ErrorCode::InvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(
    SnapshotTable, SnapshotTableRejects,
    ::testing::Values(InvalidSnapshot{"ZeroLength", [](SnapshotTable& t) { t.length = 0; }},
                      InvalidSnapshot{"CowIsOrigin", [](SnapshotTable& t) { t.cow = t.origin; }},
                      InvalidSnapshot{"ChunkSizeZero", [](SnapshotTable& t) { t.chunk_size = 0; }},
                      InvalidSnapshot{"ChunkSizeNotPowerOfTwo", [](SnapshotTable& t) { t.chunk_size = 24; }},
                      InvalidSnapshot{"ChunkSizeBelowFourKiB", [](SnapshotTable& t) { t.chunk_size = 4; }},
                      InvalidSnapshot{"ChunkSizeAboveOneGiB", [](SnapshotTable& t) { t.chunk_size = 1u << 22; }},
                      InvalidSnapshot{"PassdownOriginWithoutZeroesCow",
                                      [](SnapshotTable& t) { t.discard_passdown_origin = true; }}),
    [](const ::testing::TestParamInfo<InvalidSnapshot>& info) { return info.param.name; });

}  // namespace
}  // namespace volumes::kmod
