// read_live_state against the guest's kernel: only the pool's devices, with what the planner needs.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "service/executor/live_state_reader.hpp"
#include "tests/executor/kernel_view.hpp"
#include "tests/executor/pool_fixture.hpp"

namespace volumes::executor::test {
namespace {

namespace dm = kmod::dm;

using LiveStateTest = PoolTest;

TEST_F(LiveStateTest, ListsThePoolsDevicesOnlyWithTheirTablesAndChildren)
{
    ASSERT_TRUE(run(old_stack()));
    const auto state = pool_state();
    ASSERT_EQ(state.devices.size(), 2u);
    for (const auto& device : state.devices)
        EXPECT_NE(device.uuid, foreign_uuid);

    const auto* mid = find_device(state, "mid");
    const auto* top = find_device(state, "top");
    ASSERT_TRUE(mid && top);
    EXPECT_EQ(mid->name, name_of("mid"));
    EXPECT_EQ(kmod::to_string(mid->table), fmt::format("0 14336 linear {} 2048", disk_.number().to_string()));
    // The disk and the foreign device are not in the state, so they are no children.
    EXPECT_TRUE(mid->children.empty());
    EXPECT_EQ(top->children, std::vector<std::string>{uuid_of("mid")});
    EXPECT_EQ(mid->open_count, 1u) << "top's table holds mid open";
    auto mid_info = dm::info(kmod::DeviceId::by_name(name_of("mid")));
    ASSERT_TRUE(mid_info) << mid_info.error().message;
    EXPECT_EQ(mid->number, mid_info->number);
    EXPECT_EQ(top->table.at(0).params, fmt::format("{} 0", mid->number.to_string()));
    EXPECT_FALSE(mid->suspended || mid->has_inactive_table || mid->read_only);
}

TEST_F(LiveStateTest, ReportsSuspensionInactiveTablesAndDevicesWithoutTable)
{
    ASSERT_TRUE(run(old_stack()));
    const auto top = kmod::DeviceId::by_uuid(uuid_of("top"));
    ASSERT_TRUE(dm::reload(top, {kmod::TableLine{0, 7 * mib_sectors, "error", ""}}));
    ASSERT_TRUE(dm::suspend(top));
    kmod::UdevCookie unused;
    ASSERT_TRUE(dm::create({name_of("bare"), uuid_of("bare"), false}, {}, unused));

    const auto state = pool_state();
    ASSERT_EQ(state.devices.size(), 3u);
    const auto* read_top = find_device(state, "top");
    ASSERT_TRUE(read_top);
    EXPECT_TRUE(read_top->suspended);
    EXPECT_TRUE(read_top->has_inactive_table);
    EXPECT_EQ(read_top->table.at(0).target_type, "linear") << "the live table, not the inactive one";
    const auto* bare = find_device(state, "bare");
    ASSERT_TRUE(bare);
    EXPECT_TRUE(bare->table.empty());
    EXPECT_TRUE(bare->children.empty());
    EXPECT_FALSE(bare->suspended || bare->has_inactive_table);
}

}  // namespace
}  // namespace volumes::executor::test
