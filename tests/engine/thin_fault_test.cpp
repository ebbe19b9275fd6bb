// Thin-pool changes killed at every fault point and repaired by start-up (pool_assembly.cpp):
// the thin-pool messages go right after the precommitted metadata is written, so a kill at
// "member-precommitted" (before them) is rolled back and every later point (after them) is
// rolled forward, the kernel's transaction id telling which. Covered: create_thin,
// create_thin_snapshot of an active origin, and the message transaction of remove_volume of a
// thin (the thin is deactivated in the child before VOLUMESD_FAULT is set, so only the
// transaction that sends "delete" is killed; deactivation is an ordinary transaction that the
// other fault tests cover).
#include <signal.h>

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "engine_start.hpp"
#include "fault_child.hpp"
#include "pool_cleanup.hpp"
#include "service/executor/fault_point.hpp"
#include "service/model/names.hpp"
#include "snapshot_support.hpp"
#include "thin_support.hpp"
#include "tests/kernel/support/block_io.hpp"
#include "tests/kernel/support/loop_device.hpp"

namespace volumes::engine {
namespace {

using test::LoopDevice;
using test::start_engine;

constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t thin_bytes = 8 * mib;
constexpr std::uint64_t base_seed = 91;
constexpr std::uint64_t fresh_seed = 92;

// Whether the thin-pool messages were sent before the kill: they go after every member's
// precommitted copy is written, i.e. after "member-precommitted" and before "precommitted".
bool messages_sent_before_kill(std::string_view point)
{
    const auto* const begin = std::begin(executor::fault_points);
    const auto* const end = std::end(executor::fault_points);
    const auto* const reached = std::find(begin, end, point);
    const auto* const precommitted = std::find(begin, end, std::string_view("precommitted"));
    if (reached == end || precommitted == end)
        throw std::runtime_error("unknown fault point " + std::string(point));
    return reached >= precommitted;
}

// Pool "crash" on two members (so "member-precommitted" and "member-committed" are reached),
// thin pool "tp", thin volume "base" holding base_seed.
void create_crash_pool(const LoopDevice& a, const LoopDevice& b)
{
    auto engine = start_engine();
    auto pool = engine->create_pool("crash", {a.path(), b.path()});
    if (!pool)
        throw std::runtime_error("create_pool: " + pool.error().message);
    auto thin_pool = engine->create_thin_pool("crash", {"tp", 32 * mib, 4 * mib});
    if (!thin_pool)
        throw std::runtime_error("create_thin_pool: " + thin_pool.error().message);
    auto base = engine->create_thin("crash", "tp", "base", thin_bytes);
    if (!base)
        throw std::runtime_error("create_thin: " + base.error().message);
    test::write_pattern(base->device_path, 0, thin_bytes, base_seed);
}

// What the thin pool looked like before a killed change.
struct Before {
    std::uint32_t next_thin_id = 0;
    std::uint64_t transaction_id = 0;
    std::uint64_t data_used_blocks = 0;
};

Before before_change(const Engine& engine)
{
    const auto layout = test::thin_pool_layout(engine, "crash", "tp");
    return {layout.next_thin_id, layout.transaction_id,
            test::live_thin_pool_usage(engine, "crash", "tp").data_used_blocks};
}

// After the restart: nothing to reconcile, and the kernel's transaction id is the model's,
// which is the one before the change or the next one as the change was rolled back or forward.
void expect_consistent_after_restart(const Engine& engine, const Before& before, bool rolled_forward)
{
    test::expect_kernel_matches_metadata(engine, "crash");
    const auto model_id = test::thin_pool_layout(engine, "crash", "tp").transaction_id;
    EXPECT_EQ(test::live_thin_pool_usage(engine, "crash", "tp").transaction_id, model_id)
        << "the kernel's transaction id is not the committed model's";
    EXPECT_EQ(model_id, before.transaction_id + (rolled_forward ? 1 : 0))
        << (rolled_forward ? "the change was not rolled forward" : "the change was not rolled back");
    auto pool = engine.pool("crash");
    ASSERT_TRUE(pool) << pool.error().message;
    EXPECT_TRUE(pool->complete);
}

// The thin pool's device is live and running: I/O to any thin of a suspended thin pool would
// hang the test, so this comes before any.
void assert_thin_pool_running(const Engine& engine)
{
    auto pool = engine.volume("crash", "tp");
    ASSERT_TRUE(pool) << pool.error().message;
    auto info = kmod::dm::info(kmod::DeviceId::by_name(pool->dm_name));
    ASSERT_TRUE(info && info->exists) << "the thin pool has no device";
    ASSERT_FALSE(info->suspended) << "the thin pool was left suspended";
}

// The rest of the pool is intact: base reads its data, active and not suspended.
void expect_base_intact(const Engine& engine)
{
    auto base = engine.volume("crash", "base");
    ASSERT_TRUE(base) << base.error().message;
    ASSERT_TRUE(base->active);
    auto info = kmod::dm::info(kmod::DeviceId::by_name(base->dm_name));
    ASSERT_TRUE(info && info->exists) << "base has no device";
    // Reading a suspended device would hang the test: check this first.
    ASSERT_FALSE(info->suspended) << "base was left suspended";
    EXPECT_TRUE(test::holds_pattern(base->device_path, 0, thin_bytes, base_seed)) << "base lost its data";
}

TEST(ThinFaults, CreateThinKilledAtEveryFaultPointIsRolledBackOrForward)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    create_crash_pool(a, b);
    Before before;
    {
        auto engine = start_engine();
        before = before_change(*engine);
    }

    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        ASSERT_EQ(test::killed_in_child_at(
                      point, [](Engine& engine) { return engine.create_thin("crash", "tp", "fresh", thin_bytes) ? 0 : 1; }),
                  SIGKILL)
            << "the child was not killed at " << point;

        auto engine = start_engine();
        ASSERT_NO_FATAL_FAILURE(assert_thin_pool_running(*engine));
        const bool forward = messages_sent_before_kill(point);
        expect_consistent_after_restart(*engine, before, forward);
        auto fresh = engine->volume("crash", "fresh");
        EXPECT_EQ(fresh.has_value(), forward)
            << (fresh ? "a thin whose messages were never sent survived" : "a thin the pool created was lost");
        if (!fresh) {
            // Its thin id is free again in the pool's own metadata: no EEXIST.
            fresh = engine->create_thin("crash", "tp", "fresh", thin_bytes);
            ASSERT_TRUE(fresh) << "creating the thin again: " << fresh.error().message;
            EXPECT_EQ(test::thin_pool_layout(*engine, "crash", "tp").transaction_id, before.transaction_id + 1);
        }
        EXPECT_EQ(test::thin_layout(*engine, "crash", "fresh").thin_id, before.next_thin_id);
        ASSERT_TRUE(fresh->active);
        test::write_pattern(fresh->device_path, 0, thin_bytes, fresh_seed);
        EXPECT_TRUE(test::holds_pattern(fresh->device_path, 0, thin_bytes, fresh_seed)) << "the thin does not work";
        expect_base_intact(*engine);

        auto removed = engine->remove_volume("crash", "fresh");
        ASSERT_TRUE(removed) << removed.error().message;
        test::expect_kernel_matches_metadata(*engine, "crash");
        EXPECT_EQ(test::live_thin_pool_usage(*engine, "crash", "tp").data_used_blocks, before.data_used_blocks);
        before = before_change(*engine);
    }
}

TEST(ThinFaults, CreateThinSnapshotKilledAtEveryFaultPointIsRolledBackOrForward)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    create_crash_pool(a, b);
    Before before;
    std::uint32_t base_id = 0;
    {
        auto engine = start_engine();
        before = before_change(*engine);
        base_id = test::thin_layout(*engine, "crash", "base").thin_id;
    }

    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        ASSERT_EQ(test::killed_in_child_at(
                      point, [](Engine& engine) { return engine.create_thin_snapshot("crash", "base", "snap") ? 0 : 1; }),
                  SIGKILL)
            << "the child was not killed at " << point;

        auto engine = start_engine();
        ASSERT_NO_FATAL_FAILURE(assert_thin_pool_running(*engine));
        const bool forward = messages_sent_before_kill(point);
        ASSERT_NO_FATAL_FAILURE(expect_base_intact(*engine));
        expect_consistent_after_restart(*engine, before, forward);
        auto snap = engine->volume("crash", "snap");
        EXPECT_EQ(snap.has_value(), forward)
            << (snap ? "a snapshot whose messages were never sent survived" : "a snapshot the pool created was lost");
        if (!snap) {
            snap = engine->create_thin_snapshot("crash", "base", "snap");
            ASSERT_TRUE(snap) << "creating the snapshot again: " << snap.error().message;
            expect_base_intact(*engine);
        }
        const auto layout = test::thin_layout(*engine, "crash", "snap");
        EXPECT_EQ(layout.thin_id, before.next_thin_id);
        EXPECT_EQ(layout.origin_thin_id, std::optional<std::uint32_t>(base_id));
        ASSERT_TRUE(snap->active);
        EXPECT_TRUE(test::holds_pattern(snap->device_path, 0, thin_bytes, base_seed)) << "the snapshot differs";
        test::write_pattern(snap->device_path, 0, thin_bytes, fresh_seed);
        EXPECT_TRUE(test::holds_pattern(snap->device_path, 0, thin_bytes, fresh_seed)) << "the snapshot does not work";
        expect_base_intact(*engine);

        auto removed = engine->remove_volume("crash", "snap");
        ASSERT_TRUE(removed) << removed.error().message;
        test::expect_kernel_matches_metadata(*engine, "crash");
        EXPECT_EQ(test::live_thin_pool_usage(*engine, "crash", "tp").data_used_blocks, before.data_used_blocks);
        before = before_change(*engine);
    }
}

TEST(ThinFaults, RemoveThinKilledAtEveryPointOfItsDeleteTransactionIsRolledBackOrForward)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    create_crash_pool(a, b);

    for (const auto point : executor::fault_points) {
        SCOPED_TRACE(std::string("fault point ") + std::string(point));
        Before before;
        std::uint32_t victim_id = 0;
        {
            auto engine = start_engine();
            before = before_change(*engine);
            auto victim = engine->create_thin("crash", "tp", "victim", thin_bytes);
            ASSERT_TRUE(victim) << victim.error().message;
            victim_id = test::thin_layout(*engine, "crash", "victim").thin_id;
            test::write_pattern(victim->device_path, 0, thin_bytes, fresh_seed);
            before.transaction_id += 1;
        }
        ASSERT_EQ(test::killed_in_child_at(
                      point, [](Engine& engine) { return engine.remove_volume("crash", "victim") ? 0 : 1; },
                      // The deactivation transaction runs before VOLUMESD_FAULT is set.
                      [](Engine& engine) { return engine.deactivate("crash", "victim").has_value(); }),
                  SIGKILL)
            << "the child was not killed at " << point;

        auto engine = start_engine();
        ASSERT_NO_FATAL_FAILURE(assert_thin_pool_running(*engine));
        const bool forward = messages_sent_before_kill(point);
        expect_consistent_after_restart(*engine, before, forward);
        ASSERT_NO_FATAL_FAILURE(expect_base_intact(*engine));
        auto victim = engine->volume("crash", "victim");
        EXPECT_EQ(victim.has_value(), !forward)
            << (victim ? "a thin the pool deleted is still in the model" : "a thin whose delete was never sent is gone");
        if (victim) {
            // Rolled back: deactivated, its thin id and data still in the pool.
            EXPECT_FALSE(victim->active);
            EXPECT_EQ(test::thin_layout(*engine, "crash", "victim").thin_id, victim_id);
            auto activated = engine->activate("crash", "victim");
            ASSERT_TRUE(activated) << activated.error().message;
            EXPECT_TRUE(test::holds_pattern(victim->device_path, 0, thin_bytes, fresh_seed)) << "the thin lost its data";
            auto removed = engine->remove_volume("crash", "victim");
            ASSERT_TRUE(removed) << removed.error().message;
            test::expect_kernel_matches_metadata(*engine, "crash");
        } else {
            EXPECT_FALSE(test::dm_device_exists(model::dm_name("crash", "victim")));
        }
        EXPECT_EQ(test::live_thin_pool_usage(*engine, "crash", "tp").data_used_blocks, before.data_used_blocks)
            << "the removed thin's blocks were not freed";
    }
}

// A power loss rather than a process kill: the thin pool's device is gone at start-up, but its
// own metadata on disk already took the messages (transaction id T+1, the new thin id).
// Start-up must still agree with it, or every later thin change fails on the mismatch.
TEST(ThinFaults, CreateThinCutOffAfterItsMessagesAndRebootedAgreesWithThePoolsMetadata)
{
    LoopDevice a(64 * mib), b(64 * mib);
    test::PoolDevicesRemovedOnExit cleanup;
    create_crash_pool(a, b);
    Before before;
    {
        auto engine = start_engine();
        before = before_change(*engine);
    }
    ASSERT_EQ(test::killed_in_child_at(
                  "precommitted",
                  [](Engine& engine) { return engine.create_thin("crash", "tp", "fresh", thin_bytes) ? 0 : 1; }),
              SIGKILL);
    // The reboot: no dm device of the pool survives.
    test::remove_all_pool_devices();

    auto engine = start_engine();
    ASSERT_NO_FATAL_FAILURE(assert_thin_pool_running(*engine));
    test::expect_kernel_matches_metadata(*engine, "crash");
    const auto model_id = test::thin_pool_layout(*engine, "crash", "tp").transaction_id;
    EXPECT_EQ(test::live_thin_pool_usage(*engine, "crash", "tp").transaction_id, model_id)
        << "after the reboot the kernel's transaction id is not the committed model's";
    ASSERT_NO_FATAL_FAILURE(expect_base_intact(*engine));
    // Whichever way start-up went, the next thin change works.
    auto next = engine->create_thin("crash", "tp", "next", thin_bytes);
    EXPECT_TRUE(next) << next.error().message;
}

}  // namespace
}  // namespace volumes::engine
