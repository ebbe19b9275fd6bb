// Split for good: a raid1 array's tracked image becomes a linear volume and the array loses
// its slot (engine::split_image). Settles that dm-raid takes the shorter table, with the legs
// above the slot moved down, without a resync and with the data intact.
#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "live_table_checks.hpp"
#include "open_device.hpp"
#include "pool_cleanup.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"
#include "service/planner/plan.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"
#include "tests/kernel/support/raid_waiter.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t array_bytes = 32 * mib;
constexpr std::uint64_t written_while_split = 4 * mib;  // at offset 8 MiB

std::uint64_t sectors_written(const std::vector<LoopDevice*>& loops)
{
    return std::accumulate(loops.begin(), loops.end(), std::uint64_t{0},
                           [](std::uint64_t sum, const LoopDevice* loop) { return sum + loop->sectors_written(); });
}

void expect_synced(const std::string& array_name, std::size_t legs)
{
    const auto status = test::raid_status_of(array_name);
    EXPECT_EQ(kmod::health_string(status.health), std::string(legs, 'A'));
    EXPECT_EQ(status.device_count, legs);
    EXPECT_TRUE(status.is_synced()) << "sync action " << (status.sync_action ? to_string(*status.sync_action) : "-")
                                    << ", " << status.in_sync_sectors << " of " << status.total_sectors;
    EXPECT_EQ(status.total_sectors, array_bytes / 512);
}

// An array of `legs` legs filled with pattern 41, its `slot` split off tracked, then 4 MiB
// of pattern 42 written to the array: the image must keep 41 there, the array 42.
void split_for_good(unsigned legs, std::uint32_t slot)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    std::vector<LoopDevice*> loops{&a, &b, &c};
    test::PoolDevicesRemovedOnExit cleanup;
    std::string array_path, array_name, prefix;
    {
        auto engine = start_engine();
        ASSERT_TRUE(engine->create_pool("p", {a.path(), b.path(), c.path()}));
        auto array = engine->create_raid1_volume("p", {"array", array_bytes, legs});
        ASSERT_TRUE(array) << array.error().message;
        array_path = array->device_path;
        array_name = array->dm_name;
        prefix = model::dm_uuid_prefix(engine->model("p")->uuid);
        test::wait_until_raid_synced(array_name, 0);
        test::write_pattern(array_path, 0, array_bytes, 41);

        auto untracked = engine->split_image("p", "array", "kept");
        ASSERT_FALSE(untracked);
        EXPECT_EQ(untracked.error().code, ErrorCode::NotFound) << untracked.error().message;

        SplitTrackRequest request;
        request.slot = slot;
        request.image_name = "image";
        request.allow_no_redundancy = true;
        auto image = engine->split_track("p", "array", request);
        ASSERT_TRUE(image) << image.error().message;
        test::write_pattern(array_path, 8 * mib, written_while_split, 42);

        // Refusals change neither the metadata nor the tables.
        const auto model_before = engine->model("p");
        const auto tables_before = test::live_tables(prefix);
        for (const auto* taken : {"array", "image"}) {
            auto refused = engine->split_image("p", "array", taken);
            ASSERT_FALSE(refused) << taken;
            EXPECT_EQ(refused.error().code, ErrorCode::AlreadyExists) << refused.error().message;
        }
        auto bad = engine->split_image("p", "array", "kept_rimage");
        ASSERT_FALSE(bad);
        EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument) << bad.error().message;
        {
            test::OpenDevice held(image->device_path);
            auto busy = engine->split_image("p", "array", "kept");
            ASSERT_FALSE(busy);
            EXPECT_EQ(busy.error().code, ErrorCode::InUse) << busy.error().message;
        }
        EXPECT_EQ(engine->model("p"), model_before) << "a refusal changed the metadata";
        EXPECT_EQ(test::live_tables(prefix), tables_before) << "a refusal changed the tables";

        const auto written_before = sectors_written(loops);
        auto kept = engine->split_image("p", "array", "kept");
        ASSERT_TRUE(kept) << kept.error().message;
        EXPECT_EQ(kept->kind, "linear");
        EXPECT_FALSE(kept->read_only);
        EXPECT_EQ(kept->size, array_bytes);
        EXPECT_FALSE(engine->volume("p", "image")) << "the tracked image is still there";
        auto array_after = engine->volume("p", "array");
        ASSERT_TRUE(array_after);
        EXPECT_EQ(array_after->kind, "raid1");
        const auto model_after = engine->model("p");
        ASSERT_TRUE(model_after);
        const auto& raid = std::get<model::Raid1Layout>(model::find_volume(*model_after, "array")->layout);
        EXPECT_EQ(raid.legs.size(), legs - 1);

        expect_synced(array_name, legs - 1);
        // The new volume holds what the array held at the split; the array its own data.
        EXPECT_TRUE(test::holds_pattern(kept->device_path, 0, array_bytes, 41)) << "the split image lost data";
        EXPECT_TRUE(test::holds_pattern(array_path, 0, 8 * mib, 41));
        EXPECT_TRUE(test::holds_pattern(array_path, 8 * mib, written_while_split, 42));
        EXPECT_TRUE(test::holds_pattern(array_path, 12 * mib, array_bytes - 12 * mib, 41));
        // No resync: besides superblocks, bitmaps and the pool metadata, nothing was written.
        EXPECT_LT(sectors_written(loops) - written_before, array_bytes / 512 / 4) << "the split resynced the array";
        for (const auto& problem : test::shared_sub_devices(prefix))
            ADD_FAILURE() << problem;

        // Both are independent now: writes to one never reach the other.
        test::write_pattern(kept->device_path, 0, mib, 43);
        test::write_pattern(array_path, 16 * mib, mib, 44);
        EXPECT_TRUE(test::holds_pattern(array_path, 0, mib, 41)) << "a write to the new volume reached the array";
        EXPECT_TRUE(test::holds_pattern(kept->device_path, 16 * mib, mib, 41)) << "a write to the array reached the new volume";
    }

    auto engine = start_engine();
    auto plan = engine->reconciliation_plan("p");
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->steps, std::vector<planner::Step>{planner::CommitMetadata{}})
        << "after the split the live tables differ from the metadata:\n"
        << planner::to_string(*plan);
    expect_synced(array_name, legs - 1);
    const auto leg0 = test::digest("/dev/mapper/" + array_name + "_rimage_0", 0, array_bytes);
    for (unsigned leg = 1; leg + 1 < legs; ++leg)
        EXPECT_EQ(test::digest("/dev/mapper/" + array_name + "_rimage_" + std::to_string(leg), 0, array_bytes), leg0)
            << "leg " << leg << " differs from leg 0";
    EXPECT_TRUE(test::holds_pattern(array_path, 8 * mib, written_while_split, 42));
    EXPECT_TRUE(test::holds_pattern(array_path, 16 * mib, mib, 44));

    // Deactivating and activating the shorter array loads it from its superblocks alone.
    ASSERT_TRUE(engine->deactivate("p", "array"));
    ASSERT_TRUE(engine->activate("p", "array"));
    expect_synced(array_name, legs - 1);
    EXPECT_TRUE(test::holds_pattern(array_path, 16 * mib, mib, 44));
    EXPECT_TRUE(test::holds_pattern(array_path, 0, mib, 41));
}

TEST(RaidSplitImage, TheMiddleSlotOfAThreeLegArray) { split_for_good(3, 1); }

TEST(RaidSplitImage, TheLastSlotOfAThreeLegArray) { split_for_good(3, 2); }

TEST(RaidSplitImage, ATwoLegArrayKeepsOneLeg) { split_for_good(2, 0); }

}  // namespace
}  // namespace volumes::engine
