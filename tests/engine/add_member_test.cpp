// A pool grows by a device: AddMember's admission (the same as CreatePool's), the new member's
// extents free at once and used by a raid1 that needed it, a fresh start-up that assembles
// the pool with it; and refusals that change nothing, on the device or in the pool. A member
// with no extents leaves again (RemoveMember); one with extents and the last one do not.
#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "mounted_filesystem.hpp"
#include "pool_cleanup.hpp"
#include "snapshot_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;

TEST(AddMember, ANewMemberIsFreeAtOnceAndAssemblesAfterARestart)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    auto created = engine->create_pool("grow", {a.path()});
    ASSERT_TRUE(created) << created.error().message;
    auto no_mirror = engine->create_raid1_volume("grow", {"m", 8 * mib, 2});
    ASSERT_FALSE(no_mirror) << "a raid1 on one member";
    EXPECT_EQ(no_mirror.error().code, ErrorCode::NoSpace) << no_mirror.error().message;

    // Refused: a device with a filesystem (without force), nothing written to it or the pool.
    test::make_ext4(b.path());
    const auto b_before = test::digest(b.path(), 0, 64 * mib);
    const auto a_before = test::digest(a.path(), 0, 64 * mib);
    auto refused = engine->add_member("grow", b.path());
    ASSERT_FALSE(refused) << "a device with ext4 was added without force";
    EXPECT_EQ(refused.error().code, ErrorCode::InUse) << refused.error().message;
    auto itself = engine->add_member("grow", a.path(), true);
    ASSERT_FALSE(itself) << "a member was added twice";
    EXPECT_EQ(itself.error().code, ErrorCode::InUse) << itself.error().message;
    auto missing = engine->add_member("grow", "/dev/no-such-device");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound) << missing.error().message;
    EXPECT_EQ(test::digest(b.path(), 0, 64 * mib), b_before) << "a refused AddMember wrote to the device";
    EXPECT_EQ(test::digest(a.path(), 0, 64 * mib), a_before) << "a refused AddMember wrote to the pool";
    EXPECT_EQ(engine->pool("grow")->members.size(), 1u);

    auto added = engine->add_member("grow", b.path(), true);
    ASSERT_TRUE(added) << added.error().message;
    ASSERT_EQ(added->members.size(), 2u);
    EXPECT_EQ(added->size, 2 * created->size);
    EXPECT_EQ(added->free, added->size) << "the new member's extents are not free";
    auto mirror = engine->create_raid1_volume("grow", {"m", 8 * mib, 2});
    ASSERT_TRUE(mirror) << mirror.error().message;
    test::assert_kernel_matches_metadata(*engine, "grow");
    ASSERT_TRUE(engine->add_member("grow", c.path()));
    test::write_pattern(mirror->device_path, 0, 8 * mib, 61);

    engine.reset();
    auto restarted = start_engine();
    auto found = restarted->pool("grow");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_TRUE(found->complete);
    EXPECT_EQ(found->members.size(), 3u);
    EXPECT_TRUE(found->problems.empty()) << found->problems.front();
    EXPECT_TRUE(restarted->problems().empty()) << restarted->problems().front();
    test::assert_kernel_matches_metadata(*restarted, "grow");
    EXPECT_TRUE(test::holds_pattern(mirror->device_path, 0, 8 * mib, 61));
}

TEST(RemoveMember, AnEmptyMemberLeavesItsLabelErasedAndTheRestAssemblesAfterARestart)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("shrink", {a.path()}));
    auto data = engine->create_linear_volume("shrink", {"data", 8 * mib});
    ASSERT_TRUE(data) << data.error().message;
    test::write_pattern(data->device_path, 0, 8 * mib, 23);
    ASSERT_TRUE(engine->add_member("shrink", b.path()));
    auto added = engine->add_member("shrink", c.path());
    ASSERT_TRUE(added) << added.error().message;
    const auto c_uuid = added->members.back().uuid;

    // Refused, with no byte of any member written: a member holding data's extents, a device
    // that is no member, a path longer than any.
    const auto digests = [&] {
        return std::vector{test::digest(a.path(), 0, 64 * mib), test::digest(b.path(), 0, 64 * mib),
                           test::digest(c.path(), 0, 64 * mib)};
    };
    const auto before = digests();
    const auto model_before = engine->model("shrink");
    auto holding = engine->remove_member("shrink", a.path());
    ASSERT_FALSE(holding) << "a member holding extents left";
    EXPECT_EQ(holding.error().code, ErrorCode::InUse) << holding.error().message;
    EXPECT_NE(holding.error().message.find("'data'"), std::string::npos) << holding.error().message;
    auto stranger = engine->remove_member("shrink", "/dev/null");
    ASSERT_FALSE(stranger);
    EXPECT_EQ(stranger.error().code, ErrorCode::NotFound) << stranger.error().message;
    auto overlong = engine->remove_member("shrink", std::string(8192, '/'));
    ASSERT_FALSE(overlong);
    EXPECT_EQ(overlong.error().code, ErrorCode::InvalidArgument) << overlong.error().message;
    EXPECT_EQ(digests(), before) << "a refused RemoveMember wrote to a member";
    EXPECT_EQ(engine->model("shrink"), model_before);

    // By path and by member uuid.
    auto by_path = engine->remove_member("shrink", b.path());
    ASSERT_TRUE(by_path) << by_path.error().message;
    EXPECT_EQ(by_path->members.size(), 2u);
    auto by_uuid = engine->remove_member("shrink", c_uuid.to_string());
    ASSERT_TRUE(by_uuid) << by_uuid.error().message;
    ASSERT_EQ(by_uuid->members.size(), 1u);
    EXPECT_EQ(by_uuid->free + 2 * by_uuid->extent_size, by_uuid->size);  // data's 8 MiB, 4 MiB extents
    test::assert_kernel_matches_metadata(*engine, "shrink");
    auto last = engine->remove_member("shrink", a.path());
    ASSERT_FALSE(last) << "the last member left";
    EXPECT_EQ(last.error().code, ErrorCode::InvalidArgument) << last.error().message;

    // A restart finds the pool on its one member, and nothing of the others: they are free
    // for a new pool without force.
    engine.reset();
    auto restarted = start_engine();
    auto found = restarted->pool("shrink");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->members.size(), 1u);
    EXPECT_TRUE(found->problems.empty()) << found->problems.front();
    EXPECT_TRUE(restarted->problems().empty()) << restarted->problems().front();
    test::assert_kernel_matches_metadata(*restarted, "shrink");
    EXPECT_TRUE(test::holds_pattern(data->device_path, 0, 8 * mib, 23));
    auto again = restarted->create_pool("again", {b.path(), c.path()});
    EXPECT_TRUE(again) << again.error().message;
}

}  // namespace
}  // namespace volumes::engine
