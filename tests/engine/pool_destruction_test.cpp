#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "kmod/device_mapper.hpp"
#include "kmod/tables/error_table.hpp"
#include "kmod/udev_cookie.hpp"
#include "live_table_checks.hpp"
#include "open_device.hpp"
#include "pool_cleanup.hpp"
#include "service/devices/member_candidate.hpp"
#include "service/metadata/format.hpp"
#include "service/metadata/label.hpp"
#include "service/model/names.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::OpenDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;

bool has_label(const LoopDevice& loop)
{
    const int fd = ::open(loop.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error("cannot open " + loop.path());
    const bool labelled = metadata::read_label(fd).has_value();
    ::close(fd);
    return labelled;
}

// Whether the label sector and the default metadata area hold only zeros.
bool label_and_area_zeroed(const LoopDevice& loop)
{
    const int fd = ::open(loop.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error("cannot open " + loop.path());
    std::vector<char> bytes(metadata::kMetadataOffset + metadata::kDefaultMetadataSize - metadata::kLabelOffset);
    const auto read = ::pread(fd, bytes.data(), bytes.size(), static_cast<off_t>(metadata::kLabelOffset));
    ::close(fd);
    if (read != static_cast<ssize_t>(bytes.size()))
        throw std::runtime_error("cannot read " + loop.path());
    return std::all_of(bytes.begin(), bytes.end(), [](char byte) { return byte == 0; });
}

void expect_free(const LoopDevice& loop)
{
    EXPECT_FALSE(has_label(loop)) << loop.path();
    EXPECT_TRUE(label_and_area_zeroed(loop)) << loop.path();
    auto unused = devices::check_unused(loop.path());
    EXPECT_TRUE(unused) << unused.error().message;
    auto signatures = devices::probe_signatures(loop.path());
    ASSERT_TRUE(signatures) << signatures.error().message;
    for (const auto& signature : *signatures)
        ADD_FAILURE() << loop.path() << " still carries " << signature.type << " at byte " << signature.offset;
}

void set_read_only(const LoopDevice& loop, bool read_only)
{
    const int fd = ::open(loop.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error("cannot open " + loop.path());
    int flag = read_only ? 1 : 0;
    const int rc = ::ioctl(fd, BLKROSET, &flag);
    ::close(fd);
    if (rc != 0)
        throw std::runtime_error("BLKROSET on " + loop.path() + " failed");
}

// Every member's label and metadata area, for before/after comparisons.
std::vector<std::uint64_t> metadata_digests(const std::vector<const LoopDevice*>& loops)
{
    std::vector<std::uint64_t> digests;
    for (const auto* loop : loops)
        digests.push_back(test::digest(loop->path(), 0, metadata::kMetadataOffset + metadata::kDefaultMetadataSize));
    return digests;
}

TEST(PoolDestruction, AnEmptyPoolFreesItsDevices)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("gone", {a.path(), b.path(), c.path()}));
    // A volume that came and went leaves the pool empty again.
    ASSERT_TRUE(engine->create_linear_volume("gone", {"brief", 8 * mib}));
    ASSERT_TRUE(engine->remove_volume("gone", "brief"));

    auto destroyed = engine->destroy_pool("gone");
    ASSERT_TRUE(destroyed) << destroyed.error().message;
    auto found = engine->pool("gone");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, ErrorCode::NotFound);
    EXPECT_TRUE(engine->pools().empty());
    auto again = engine->destroy_pool("gone");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::NotFound);
    for (const auto* loop : {&a, &b, &c})
        expect_free(*loop);

    engine.reset();
    auto rescanned = start_engine();
    EXPECT_TRUE(rescanned->pools().empty()) << "a fresh scan still finds a pool";
    auto created = rescanned->create_pool("reborn", {a.path(), b.path(), c.path()});
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->free, created->size);
}

TEST(PoolDestruction, APoolWithVolumesIsRefusedAndNothingChanges)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("kept", {a.path(), b.path()}));
    ASSERT_TRUE(engine->create_linear_volume("kept", {"plain", 8 * mib}));
    ASSERT_TRUE(engine->create_raid1_volume("kept", {"mirror", 8 * mib, 2}));
    ASSERT_TRUE(engine->create_linear_volume("kept", {"idle", 4 * mib}));
    ASSERT_TRUE(engine->deactivate("kept", "idle"));
    const auto model_before = engine->model("kept");
    ASSERT_TRUE(model_before);
    const auto prefix = model::dm_uuid_prefix(model_before->uuid);
    const auto tables_before = test::live_tables(prefix);
    ASSERT_EQ(tables_before.size(), 6u) << "plain, and mirror with two rmeta and two rimage";
    const auto metadata_before = metadata_digests({&a, &b});

    auto refused = engine->destroy_pool("kept");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::InUse) << refused.error().message;
    EXPECT_NE(refused.error().message.find("remove its volumes first"), std::string::npos) << refused.error().message;

    EXPECT_EQ(engine->model("kept"), model_before);
    EXPECT_EQ(test::live_tables(prefix), tables_before);
    EXPECT_EQ(metadata_digests({&a, &b}), metadata_before);
    engine.reset();
    auto rescanned = start_engine();
    EXPECT_EQ(rescanned->model("kept"), model_before) << "the refused destruction reached the disk";
}

TEST(PoolDestruction, ALeftoverDeviceOfThePoolIsRefused)
{
    LoopDevice a(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    auto pool = engine->create_pool("stray", {a.path()});
    ASSERT_TRUE(pool) << pool.error().message;
    // What a transaction interrupted before its cleanup could leave in the kernel.
    const std::string stray = model::dm_name("stray", "leftover");
    kmod::UdevCookie cookie;
    auto created = kmod::dm::create({stray, model::dm_uuid_prefix(pool->uuid) + "leftover"},
                                    {kmod::error_table_line(8)}, cookie);
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_TRUE(cookie.wait());
    const auto metadata_before = metadata_digests({&a});

    auto busy = engine->destroy_pool("stray");
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, ErrorCode::Busy) << busy.error().message;
    EXPECT_NE(busy.error().message.find(stray), std::string::npos) << busy.error().message;
    {
        OpenDevice holder("/dev/mapper/" + stray);
        auto in_use = engine->destroy_pool("stray");
        ASSERT_FALSE(in_use);
        EXPECT_EQ(in_use.error().code, ErrorCode::InUse) << in_use.error().message;
    }
    EXPECT_EQ(metadata_digests({&a}), metadata_before);
    EXPECT_TRUE(engine->pool("stray"));

    test::remove_all_pool_devices();
    auto destroyed = engine->destroy_pool("stray");
    ASSERT_TRUE(destroyed) << destroyed.error().message;
    expect_free(a);
}

// The last member cannot be written: the first two are erased, the third keeps its label.
TEST(PoolDestruction, AFailureHalfWayLeavesAnIncompletePool)
{
    LoopDevice a(64 * mib), b(64 * mib), c(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    auto engine = start_engine();
    ASSERT_TRUE(engine->create_pool("half", {a.path(), b.path(), c.path()}));
    set_read_only(c, true);

    auto failed = engine->destroy_pool("half");
    set_read_only(c, false);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::Failed) << failed.error().message;
    EXPECT_NE(failed.error().message.find(c.path()), std::string::npos) << failed.error().message;
    expect_free(a);
    expect_free(b);
    EXPECT_TRUE(has_label(c));
    auto summary = engine->pool("half");
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_FALSE(summary->complete);
    EXPECT_EQ(std::count_if(summary->members.begin(), summary->members.end(),
                            [](const MemberSummary& member) { return !member.present; }),
              2);
    EXPECT_FALSE(summary->problems.empty());

    engine.reset();
    auto rescanned = start_engine();
    auto found = rescanned->pool("half");
    ASSERT_TRUE(found) << "the member that kept its label is not reported";
    EXPECT_FALSE(found->complete);
    ASSERT_EQ(found->members.size(), 3u);
    for (const auto& member : found->members)
        EXPECT_EQ(member.present, member.path == c.path()) << member.uuid.to_string();
    auto busy = rescanned->destroy_pool("half");
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, ErrorCode::Busy) << busy.error().message;

    // The erased members are free; the one that kept its label is still a member of "half",
    // which no force admits to another pool (architecture.md "Trust model").
    ASSERT_TRUE(rescanned->create_pool("free", {a.path(), b.path()}));
    for (const bool force : {false, true}) {
        auto refused = rescanned->create_pool("last", {c.path()}, {.force = force});
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, ErrorCode::InUse) << refused.error().message;
        EXPECT_NE(refused.error().message.find(found->uuid.to_string()), std::string::npos) << refused.error().message;
    }
    EXPECT_TRUE(has_label(c));

    // Destroy with force frees what is left.
    ASSERT_TRUE(rescanned->destroy_pool("half", true));
    expect_free(c);
    EXPECT_FALSE(rescanned->pool("half"));
}

}  // namespace
}  // namespace volumes::engine
