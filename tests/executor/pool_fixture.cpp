#include "tests/executor/pool_fixture.hpp"

#include <cstdlib>
#include <span>

#include "kmod/device_mapper.hpp"
#include "kmod/kernel_targets.hpp"
#include "kmod/tables/linear_table.hpp"
#include "tests/executor/kernel_view.hpp"
#include "tests/executor/recording_commit.hpp"

namespace volumes::executor::test {

namespace dm = kmod::dm;

void PoolTest::SetUp()
{
    ASSERT_TRUE(kmod::KernelTargets::open());
    remove_pool_devices();
    ASSERT_TRUE(pool_state().devices.empty()) << "devices of the test pool are left from before";

    const kmod::LinearSegment segment{disk_.number(), 24 * mib_sectors, 4 * mib_sectors};
    auto table = kmod::linear_table(std::span(&segment, 1));
    ASSERT_TRUE(table) << table.error().message;
    kmod::UdevCookie cookie;
    auto created = dm::create({foreign_name, foreign_uuid, false}, *table, cookie);
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_TRUE(cookie.wait());
    foreign_info_ = *created;
    foreign_table_ = *table;
}

void PoolTest::TearDown()
{
    const auto foreign = kmod::DeviceId::by_uuid(foreign_uuid);
    if (foreign_info_.exists) {
        auto info = dm::info(foreign);
        ASSERT_TRUE(info) << info.error().message;
        EXPECT_TRUE(info->exists) << "the foreign device was removed";
        EXPECT_EQ(info->number, foreign_info_.number);
        EXPECT_EQ(info->name, foreign_name);
        EXPECT_FALSE(info->suspended) << "the foreign device was left suspended";
        EXPECT_FALSE(info->inactive_table) << "the foreign device got an inactive table";
        auto table = dm::table(foreign);
        ASSERT_TRUE(table) << table.error().message;
        EXPECT_EQ(*table, foreign_table_) << "the foreign device's table changed";
    }
    remove_pool_devices();
    EXPECT_TRUE(pool_state().devices.empty());
    if (foreign_info_.exists) {
        kmod::UdevCookie cookie;
        EXPECT_TRUE(dm::remove(foreign, cookie));
        EXPECT_TRUE(cookie.wait());
    }
}

Layers PoolTest::old_stack() const
{
    return {
        {"mid", {{disk_.number(), 1 * mib_sectors, 7 * mib_sectors}}},
        {"top", {{std::string("mid"), 0, 7 * mib_sectors}}},
    };
}

Layers PoolTest::seed_stack() const
{
    return {
        {"top", {{disk_.number(), 1 * mib_sectors, 7 * mib_sectors}}},
    };
}

Layers PoolTest::grown_stack() const
{
    return {
        {"e1-lower", {{disk_.number(), 12 * mib_sectors, 4 * mib_sectors}}},
        {"e2-upper", {{std::string("e1-lower"), 0, 4 * mib_sectors}}},
        {"top", {{disk_.number(), 1 * mib_sectors, 7 * mib_sectors}}},
    };
}

std::optional<TransactionReport> PoolTest::run(const Layers& layers)
{
    RecordingCommit metadata;
    auto report = run_transaction(pool_prefix, source_of(layers), metadata);
    EXPECT_TRUE(report) << report.error().message;
    if (!report)
        return std::nullopt;
    EXPECT_TRUE(pool_matches(layers));
    return std::move(*report);
}

FaultSetting::FaultSetting(const std::string& value)
{
    ::setenv("VOLUMESD_FAULT", value.c_str(), 1);
}

FaultSetting::~FaultSetting()
{
    ::unsetenv("VOLUMESD_FAULT");
}

}  // namespace volumes::executor::test
