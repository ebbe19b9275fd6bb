#include <string>

#include <gtest/gtest.h>

#include "pool_builder.hpp"
#include "service/engine/pool_destruction.hpp"
#include "service/engine/volume_changes.hpp"

namespace volumes::engine {
namespace {

using namespace testing;

TEST(DestroyChecks, AnEmptyCompletePoolMayBeDestroyed)
{
    ManagedPool managed;
    managed.pool = empty_pool();
    EXPECT_TRUE(check_destroyable(managed));
}

TEST(DestroyChecks, APoolWithVolumesIsInUse)
{
    ManagedPool managed;
    auto with_volume = add_linear_volume(empty_pool(), {"data", kExtent}, uuid_of(1));
    ASSERT_TRUE(with_volume) << with_volume.error().message;
    managed.pool = *with_volume;
    auto refused = check_destroyable(managed);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::InUse);
    EXPECT_NE(refused.error().message.find("remove its volumes first"), std::string::npos) << refused.error().message;
}

TEST(DestroyChecks, AnIncompletePoolIsBusy)
{
    ManagedPool managed;
    managed.pool = empty_pool();
    managed.missing.push_back(managed.pool.members.front().uuid);
    auto refused = check_destroyable(managed);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Busy) << refused.error().message;
    EXPECT_TRUE(check_destroyable(managed, true));
}

}  // namespace
}  // namespace volumes::engine
