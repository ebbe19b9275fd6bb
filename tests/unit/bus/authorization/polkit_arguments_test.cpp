#include <gtest/gtest.h>

#include "service/bus/authorization/polkit_arguments.hpp"

namespace volumes::bus::polkit {
namespace {

TEST(PolkitSubject, IsTheCallersSystemBusName)
{
    const auto subject = system_bus_name_subject(":1.42");
    EXPECT_EQ(subject.get<0>(), "system-bus-name");
    const auto& details = subject.get<1>();
    ASSERT_EQ(details.size(), 1U);
    ASSERT_TRUE(details.contains("name"));
    EXPECT_TRUE(details.at("name").containsValueOfType<std::string>());
    EXPECT_EQ(details.at("name").get<std::string>(), ":1.42");
}

TEST(PolkitSubject, HasTheSignaturePolkitExpects)
{
    EXPECT_EQ(sdbus::signature_of<Subject>::str(), "(sa{sv})");
    EXPECT_EQ(sdbus::signature_of<Reply>::str(), "(bba{ss})");
}

TEST(PolkitFlags, AllowUserInteractionOnlyWhenAsked)
{
    EXPECT_EQ(check_flags(true), 1U);
    EXPECT_EQ(check_flags(false), 0U);
}

}  // namespace
}  // namespace volumes::bus::polkit
