#include <gtest/gtest.h>

#include "expect_result.hpp"
#include "kmod/device_number.hpp"

namespace volumes::kmod {
namespace {

using testing::fails_with;

TEST(DeviceNumber, ParsesAndPrintsMajorColonMinor)
{
    const auto parsed = DeviceNumber::parse("253:12");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, (DeviceNumber{253, 12}));
    EXPECT_EQ(parsed->to_string(), "253:12");
    EXPECT_EQ(DeviceNumber::from_dev_t(parsed->to_dev_t()), *parsed);
}

TEST(DeviceNumber, RejectsAnythingElse)
{
    for (const char* text : {"", "253", "253:", ":12", "253:12x", "-1:2", "a:b", "253:12:1", "99999999999:1"})
        EXPECT_TRUE(fails_with(DeviceNumber::parse(text), ErrorCode::Parse)) << '"' << text << '"';
}

TEST(DeviceNumber, OfPathRefusesWhatIsNotABlockDevice)
{
    EXPECT_TRUE(fails_with(DeviceNumber::of_path("/no/such/device"), ErrorCode::NotFound));
    EXPECT_TRUE(fails_with(DeviceNumber::of_path("/dev/null"), ErrorCode::InvalidArgument));
}

}  // namespace
}  // namespace volumes::kmod
