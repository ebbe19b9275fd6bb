#include "service/bus/object_paths.hpp"

#include <gtest/gtest.h>

namespace volumes::bus {
namespace {

TEST(ObjectPaths, LettersAndDigitsStayEveryOtherByteIsEscaped)
{
    EXPECT_EQ(escape_path_element("pool0"), "pool0");
    EXPECT_EQ(escape_path_element("my-pool"), "my_2dpool");
    EXPECT_EQ(escape_path_element("a.b+c_d"), "a_2eb_2bc_5fd");
    EXPECT_EQ(escape_path_element(""), "_");
    EXPECT_EQ(escape_path_element("/.."), "_2f_2e_2e");
}

TEST(ObjectPaths, UnescapingGivesTheNameBack)
{
    for (const char* name : {"pool0", "my-pool", "a.b+c_d", "", "x_y", "-_-", "\xff"})
        EXPECT_EQ(unescape_path_element(escape_path_element(name)), std::string(name)) << name;
}

TEST(ObjectPaths, ElementsNoNameEscapesToAreRefused)
{
    EXPECT_FALSE(unescape_path_element("a_2"));   // cut short
    EXPECT_FALSE(unescape_path_element("a_zz"));  // not hex
    EXPECT_FALSE(unescape_path_element("a_2D"));  // upper-case hex is never written
    EXPECT_FALSE(unescape_path_element("_61"));   // 'a' is never escaped
    EXPECT_FALSE(unescape_path_element(""));
}

TEST(ObjectPaths, PathsOfPoolsVolumesAndJobs)
{
    EXPECT_EQ(pool_path("tank"), "/org/example/Volumes/pools/tank");
    EXPECT_EQ(volume_path("tank", "root-fs"), "/org/example/Volumes/volumes/tank/root_2dfs");
    EXPECT_EQ(job_path(7), "/org/example/Volumes/jobs/7");
}

}  // namespace
}  // namespace volumes::bus
