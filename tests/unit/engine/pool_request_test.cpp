// CreatePool's arguments are checked once, by the engine, before any device is opened: these
// refusals run on the host, where no path here exists.
#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "service/engine/pool_creation.hpp"

namespace volumes::engine {
namespace {

using volumes::testing::fails_with;

Result<std::unique_ptr<ManagedPool>> create(std::vector<std::string> devices, std::uint64_t extent_size = 4 << 20)
{
    return create_pool_on("tank", devices, {.force = false, .extent_size = extent_size, .owner = {}});
}

TEST(PoolRequest, MalformedDeviceListsAreRefused)
{
    EXPECT_TRUE(fails_with(create({}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(create({"loop0"}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(create({""}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(create({"/dev/no-such-a", "/dev/no-such-a"}), ErrorCode::InvalidArgument));
    EXPECT_TRUE(fails_with(create({"/" + std::string(5000, 'x')}), ErrorCode::InvalidArgument));
}

TEST(PoolRequest, ExtentSizesArePowersOfTwoFromOneMiBToOneTiB)
{
    for (std::uint64_t size : {std::uint64_t{0}, std::uint64_t{4096}, std::uint64_t{3} << 20, std::uint64_t{1} << 41,
                               ~std::uint64_t{0}})
        EXPECT_TRUE(fails_with(create({"/dev/no-such-a"}, size), ErrorCode::InvalidArgument)) << size;
    // In range, the refusal comes later, from the missing device.
    for (std::uint64_t size : {std::uint64_t{1} << 20, std::uint64_t{1} << 40})
        EXPECT_TRUE(fails_with(create({"/dev/no-such-a"}, size), ErrorCode::NotFound)) << size;
}

}  // namespace
}  // namespace volumes::engine
