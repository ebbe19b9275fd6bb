#include <map>
#include <string>

#include <gtest/gtest.h>

#include "service/engine/used_targets.hpp"

namespace volumes::engine {
namespace {

TEST(UsedTargets, OnlyTheTargetsTheEngineBuildsWithTheirVersions)
{
    const kmod::TargetVersions versions({{"linear", {1, 4, 0}},
                                         {"striped", {1, 6, 0}},
                                         {"error", {1, 6, 0}},
                                         {"raid", {1, 15, 1}},
                                         {"crypt", {1, 24, 0}},
                                         {"snapshot-merge", {1, 16, 0}},
                                         {"thin", {1, 22, 0}}});
    const std::map<std::string, std::string> expected{{"linear", "1.4.0"},
                                                      {"error", "1.6.0"},
                                                      {"raid", "1.15.1"},
                                                      {"snapshot-merge", "1.16.0"},
                                                      {"thin", "1.22.0"}};
    EXPECT_EQ(used_target_versions(versions), expected);
}

TEST(UsedTargets, NoneWhenTheKernelHasNone)
{
    EXPECT_TRUE(used_target_versions(kmod::TargetVersions{}).empty());
}

}  // namespace
}  // namespace volumes::engine
