#include "service/daemon/daemon_options.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace volumes::daemon {
namespace {

ParsedOptions parse(std::initializer_list<std::string> words)
{
    std::vector<std::string> storage{"volumesd"};
    storage.insert(storage.end(), words);
    std::vector<char*> argv;
    for (auto& word : storage)
        argv.push_back(word.data());
    return parse_daemon_options(static_cast<int>(argv.size()), argv.data());
}

TEST(DaemonOptions, ActivationOfOnePoolWithARequiredVolume)
{
    const auto parsed = parse({"--activate", "--pool", "sys", "--volume", "root"});
    ASSERT_TRUE(parsed.options);
    EXPECT_TRUE(parsed.options->activate_only);
    EXPECT_EQ(parsed.options->activation.pool, "sys");
    ASSERT_TRUE(parsed.options->activation.required);
    EXPECT_EQ(parsed.options->activation.required->pool, "sys");
    EXPECT_EQ(parsed.options->activation.required->volume, "root");
}

TEST(DaemonOptions, PlainActivationBringsUpEveryPoolAndRequiresNothing)
{
    const auto parsed = parse({"--activate"});
    ASSERT_TRUE(parsed.options);
    EXPECT_FALSE(parsed.options->activation.pool);
    EXPECT_FALSE(parsed.options->activation.required);
}

TEST(DaemonOptions, PoolAndVolumeAreRefusedOutsideTheirPlace)
{
    EXPECT_FALSE(parse({"--pool", "sys"}).options);                       // without --activate
    EXPECT_FALSE(parse({"--activate", "--volume", "root"}).options);      // without --pool
    EXPECT_FALSE(parse({"--activate", "--pool", "a/b"}).options);         // not a pool name
    EXPECT_FALSE(parse({"--activate", "--pool", "sys", "--volume", ".."}).options);
    EXPECT_NE(parse({"--activate", "--pool", "a/b"}).exit_status, 0);
}

}  // namespace
}  // namespace volumes::daemon
