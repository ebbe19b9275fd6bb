// run_transaction over a change's scope against the guest's kernel: only the scope's devices
// are read and planned; the rest of the pool is left as it is, even a device the whole-pool
// plan would remove.
#include <gtest/gtest.h>

#include "kmod/device_mapper.hpp"
#include "service/executor/live_state_reader.hpp"
#include "tests/executor/kernel_view.hpp"
#include "tests/executor/pool_fixture.hpp"
#include "tests/executor/recording_commit.hpp"

namespace volumes::executor::test {
namespace {

namespace dm = kmod::dm;

using ScopedTransactionTest = PoolTest;

// A device of the pool that no layer describes: a whole-pool transaction removes it.
void create_stray()
{
    kmod::UdevCookie cookie;
    ASSERT_TRUE(dm::create({name_of("stray"), uuid_of("stray"), false}, {}, cookie));
    ASSERT_TRUE(cookie.wait());
}

bool exists(const std::string& role)
{
    auto info = dm::info(kmod::DeviceId::by_uuid(uuid_of(role)));
    return info && info->exists;
}

TEST_F(ScopedTransactionTest, ReadsTheScopesDevicesAndTheNumbersOfWhatTheyStackOn)
{
    ASSERT_TRUE(run(old_stack()));
    const graph::ChangeScope scope{{uuid_of("top"), uuid_of("absent")}, {uuid_of("mid")}, {}};
    const auto read = read_live_state(pool_prefix, scope);
    ASSERT_TRUE(read) << read.error().message;
    ASSERT_EQ(read->live.devices.size(), 1u) << "an absent device is not listed";
    EXPECT_EQ(read->live.devices[0].uuid, uuid_of("top"));
    EXPECT_TRUE(read->live.devices[0].children.empty()) << "mid is outside the state, so no child";
    auto mid = dm::info(kmod::DeviceId::by_uuid(uuid_of("mid")));
    ASSERT_TRUE(mid && mid->exists);
    ASSERT_EQ(read->stacked_on.size(), 1u);
    EXPECT_EQ(read->stacked_on.at(uuid_of("mid")), mid->number);
}

TEST_F(ScopedTransactionTest, ANewNameHeldByAPoolDeviceOutsideTheScopeIsRefused)
{
    ASSERT_TRUE(run(old_stack()));
    const graph::ChangeScope scope{{uuid_of("other")}, {}, {name_of("top")}};
    const auto read = read_live_state(pool_prefix, scope);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, ErrorCode::Refused);
    EXPECT_NE(read.error().message.find(name_of("top")), std::string::npos) << read.error().message;
}

TEST_F(ScopedTransactionTest, ANewNameHeldByAStrangerIsSeenByThePlanner)
{
    const graph::ChangeScope scope{{uuid_of("new")}, {}, {foreign_name}};
    const auto read = read_live_state(pool_prefix, scope);
    ASSERT_TRUE(read) << read.error().message;
    ASSERT_EQ(read->live.devices.size(), 1u);
    EXPECT_EQ(read->live.devices[0].uuid, foreign_uuid);
    EXPECT_TRUE(read->live.devices[0].table.empty()) << "a stranger's table is not read";
}

TEST_F(ScopedTransactionTest, AChangeStackingOnALiveDeviceLeavesTheRestOfThePoolAlone)
{
    ASSERT_TRUE(run(old_stack()));
    create_stray();
    auto layers = old_stack();
    layers.push_back({"upper", {{std::string("mid"), 0, 7 * mib_sectors}}});
    const graph::ChangeScope scope{{uuid_of("upper")}, {uuid_of("mid")}, {name_of("upper")}};
    RecordingCommit metadata;
    const auto report = run_transaction(pool_prefix, source_of(layers), metadata, &scope);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->created, std::vector<std::string>{uuid_of("upper")});
    EXPECT_TRUE(exists("stray")) << "a device outside the scope was touched";
    const auto state = pool_state();
    const auto* upper = find_device(state, "upper");
    ASSERT_TRUE(upper);
    EXPECT_EQ(upper->children, std::vector<std::string>{uuid_of("mid")});
    const auto* mid = find_device(state, "mid");
    ASSERT_TRUE(mid);
    EXPECT_EQ(mid->open_count, 2u) << "top and upper both map mid";

    // The same pool planned whole: the stray device leaves.
    RecordingCommit again;
    ASSERT_TRUE(run_transaction(pool_prefix, source_of(layers), again));
    EXPECT_FALSE(exists("stray"));
}

}  // namespace
}  // namespace volumes::executor::test
