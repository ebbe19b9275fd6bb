#include "kmod/messages/thin_pool_messages.hpp"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "expect_result.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;
using testing::succeeded;

constexpr std::uint32_t kLastId = (1u << 24) - 1;

TEST(ThinPoolMessages, CreateThin)
{
    const auto message = create_thin_message(0);
    ASSERT_TRUE(succeeded(message));
    EXPECT_EQ(*message, "create_thin 0");
    EXPECT_EQ(create_thin_message(kLastId).value(), "create_thin 16777215");
}

TEST(ThinPoolMessages, CreateThinRefusesIdsFrom2To24)
{
    EXPECT_EQ(thin_device_id_limit, 16777216u);
    for (const std::uint32_t id : {1u << 24, (1u << 24) + 1, std::numeric_limits<std::uint32_t>::max()})
        EXPECT_TRUE(fails_with(create_thin_message(id), ErrorCode::InvalidArgument)) << id;
}

TEST(ThinPoolMessages, CreateSnap)
{
    const auto message = create_snap_message(7, 3);
    ASSERT_TRUE(succeeded(message));
    EXPECT_EQ(*message, "create_snap 7 3");
    EXPECT_EQ(create_snap_message(0, kLastId).value(), "create_snap 0 16777215");
    EXPECT_EQ(create_snap_message(kLastId, 0).value(), "create_snap 16777215 0");
}

TEST(ThinPoolMessages, CreateSnapRefusesIdsFrom2To24)
{
    for (const std::uint32_t id : {1u << 24, std::numeric_limits<std::uint32_t>::max()}) {
        EXPECT_TRUE(fails_with(create_snap_message(id, 1), ErrorCode::InvalidArgument)) << id;
        EXPECT_TRUE(fails_with(create_snap_message(1, id), ErrorCode::InvalidArgument)) << id;
    }
}

TEST(ThinPoolMessages, CreateSnapRefusesASnapshotOfItself)
{
    EXPECT_TRUE(fails_with(create_snap_message(4, 4), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(create_snap_message(0, 0), ErrorCode::InvalidArgument));
}

TEST(ThinPoolMessages, Delete)
{
    const auto message = delete_thin_message(12);
    ASSERT_TRUE(succeeded(message));
    EXPECT_EQ(*message, "delete 12");
    EXPECT_EQ(delete_thin_message(kLastId).value(), "delete 16777215");
}

TEST(ThinPoolMessages, DeleteRefusesIdsFrom2To24)
{
    for (const std::uint32_t id : {1u << 24, std::numeric_limits<std::uint32_t>::max()})
        EXPECT_TRUE(fails_with(delete_thin_message(id), ErrorCode::InvalidArgument)) << id;
}

TEST(ThinPoolMessages, SetTransactionId)
{
    const auto message = set_transaction_id_message(0, 1);
    ASSERT_TRUE(succeeded(message));
    EXPECT_EQ(*message, "set_transaction_id 0 1");
    EXPECT_EQ(set_transaction_id_message(std::numeric_limits<std::uint64_t>::max() - 1,
                                         std::numeric_limits<std::uint64_t>::max())
                  .value(),
              "set_transaction_id 18446744073709551614 18446744073709551615");
    EXPECT_EQ(set_transaction_id_message(9, 3).value(), "set_transaction_id 9 3");
}

TEST(ThinPoolMessages, SetTransactionIdRefusesEqualIds)
{
    EXPECT_TRUE(fails_with(set_transaction_id_message(0, 0), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(set_transaction_id_message(41, 41), ErrorCode::InvalidArgument));
}

TEST(ThinPoolMessages, MetadataSnapshot)
{
    EXPECT_EQ(reserve_metadata_snap_message(), "reserve_metadata_snap");
    EXPECT_EQ(release_metadata_snap_message(), "release_metadata_snap");
}

}  // namespace
}  // namespace volumes::kmod
