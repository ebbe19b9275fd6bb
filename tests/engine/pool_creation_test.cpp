#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "pool_cleanup.hpp"
#include "service/engine/engine.hpp"
#include "service/metadata/label.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;

bool has_label(const LoopDevice& loop)
{
    const int fd = ::open(loop.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool labelled = metadata::read_label(fd).has_value();
    ::close(fd);
    return labelled;
}

void make_ext4(const LoopDevice& loop)
{
    const auto command = "mkfs.ext4 -q -F " + loop.path() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(PoolCreation, ThreeLoopDevicesMakeAPoolThatAFreshScanFindsAgain)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();

    auto created = engine->create_pool("tank", {a.path(), b.path(), c.path()});
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->name, "tank");
    ASSERT_EQ(created->members.size(), 3u);
    // 64 MiB members with 4 MiB extents and the first 4 MiB for label and metadata: 15 extents each.
    EXPECT_EQ(created->size, 3 * 15 * 4 * mib);
    EXPECT_EQ(created->free, created->size);
    EXPECT_TRUE(has_label(a) && has_label(b) && has_label(c));

    engine.reset();
    auto rescanned = start_engine();
    auto found = rescanned->pool("tank");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->uuid, created->uuid);
    EXPECT_TRUE(found->complete);
    EXPECT_EQ(found->members.size(), 3u);
    for (const auto& member : found->members)
        EXPECT_TRUE(member.present) << member.uuid.to_string();
}

TEST(PoolCreation, AnExt4DeviceIsRefusedUnlessForcedAndNothingIsWritten)
{
    LoopDevice empty(64 * mib), formatted(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    make_ext4(formatted);
    const auto before = test::digest(formatted.path(), 0, 8 * mib);
    const auto empty_before = test::digest(empty.path(), 0, 8 * mib);
    auto engine = start_engine();

    auto refused = engine->create_pool("refused", {empty.path(), formatted.path()});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::InUse) << refused.error().message;
    EXPECT_NE(refused.error().message.find("ext4"), std::string::npos) << refused.error().message;
    EXPECT_EQ(test::digest(formatted.path(), 0, 8 * mib), before);
    EXPECT_EQ(test::digest(empty.path(), 0, 8 * mib), empty_before) << "the refused request wrote to its first device";
    EXPECT_FALSE(engine->pool("refused"));

    auto forced = engine->create_pool("forced", {empty.path(), formatted.path()}, {.force = true});
    ASSERT_TRUE(forced) << forced.error().message;
    EXPECT_TRUE(has_label(formatted));
    const auto probe = "blkid -p " + formatted.path() + " | grep -q ext4";
    EXPECT_NE(std::system(probe.c_str()), 0) << "ext4 is still recognized after a forced pool creation";
}

TEST(PoolCreation, BadRequestsAreRefusedWithoutWriting)
{
    LoopDevice a(64 * mib), tiny(4 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    const auto a_before = test::digest(a.path(), 0, 8 * mib);
    auto engine = start_engine();

    auto no_name = engine->create_pool("", {a.path()});
    ASSERT_FALSE(no_name);
    EXPECT_EQ(no_name.error().code, ErrorCode::InvalidArgument);

    auto twice = engine->create_pool("twice", {a.path(), a.path()});
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, ErrorCode::InvalidArgument);

    auto missing = engine->create_pool("missing", {a.path(), "/dev/does-not-exist"});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound) << missing.error().message;

    auto too_small = engine->create_pool("small", {a.path(), tiny.path()});
    ASSERT_FALSE(too_small);
    EXPECT_EQ(too_small.error().code, ErrorCode::NoSpace) << too_small.error().message;

    EXPECT_EQ(test::digest(a.path(), 0, 8 * mib), a_before);
    EXPECT_TRUE(engine->pools().empty());

    ASSERT_TRUE(engine->create_pool("first", {a.path()}));
    auto again = engine->create_pool("first", {tiny.path()});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::AlreadyExists);
}

TEST(PoolCreation, AMemberOfAnotherPoolIsRefusedEvenWithForce)
{
    LoopDevice a(64 * mib), b(64 * mib), blank(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    auto first = engine->create_pool("first", {a.path(), b.path()});
    ASSERT_TRUE(first) << first.error().message;
    const auto a_before = test::digest(a.path(), 0, 8 * mib);
    const auto blank_before = test::digest(blank.path(), 0, 8 * mib);

    for (const bool force : {false, true}) {
        auto refused = engine->create_pool("second", {blank.path(), a.path()}, {.force = force});
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, ErrorCode::InUse) << refused.error().message;
        EXPECT_NE(refused.error().message.find(first->uuid.to_string()), std::string::npos) << refused.error().message;
    }
    EXPECT_EQ(test::digest(a.path(), 0, 8 * mib), a_before);
    EXPECT_EQ(test::digest(blank.path(), 0, 8 * mib), blank_before) << "the refused request wrote to its first device";
    EXPECT_FALSE(engine->pool("second"));
    // The members stay usable by their pool, and the refused device by a new one.
    auto second = engine->create_pool("second", {blank.path()});
    ASSERT_TRUE(second) << second.error().message;
}

}  // namespace
}  // namespace volumes::engine
