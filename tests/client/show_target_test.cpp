// Host: how `volumectl show` tells a pool, a volume and a job apart from the text alone.
#include <gtest/gtest.h>

#include "volumectl/show_target.hpp"

namespace volumectl {
namespace {

using Kind = ShowTarget::Kind;

TEST(ShowTarget, AJobNumberIsAJobUnlessAPoolHasThatName)
{
    const auto shown = classify_show_target("86400123457");
    EXPECT_EQ(shown.kind, Kind::PoolOrJob);
    EXPECT_EQ(shown.name, "86400123457");
    EXPECT_EQ(shown.job_path, "/org/example/Volumes/jobs/86400123457");
    EXPECT_EQ(classify_show_target("1").job_path, "/org/example/Volumes/jobs/1");
}

TEST(ShowTarget, AJobPathIsAJob)
{
    const auto shown = classify_show_target("/org/example/Volumes/jobs/86400123457");
    EXPECT_EQ(shown.kind, Kind::Job);
    EXPECT_EQ(shown.job_path, "/org/example/Volumes/jobs/86400123457");
}

TEST(ShowTarget, PoolsAndVolumesAsBefore)
{
    EXPECT_EQ(classify_show_target("tank").kind, Kind::Pool);
    EXPECT_EQ(classify_show_target("/org/example/Volumes/pools/tank").kind, Kind::Pool);
    EXPECT_EQ(classify_show_target("tank/data").kind, Kind::Volume);
    EXPECT_EQ(classify_show_target("/org/example/Volumes/volumes/tank/data").kind, Kind::Volume);
    EXPECT_EQ(classify_show_target("tank/data").name, "tank/data");
}

TEST(ShowTarget, OnlyAllDigitsIsANumber)
{
    EXPECT_EQ(classify_show_target("12a").kind, Kind::Pool);
    EXPECT_EQ(classify_show_target("-1").kind, Kind::Pool);
    EXPECT_EQ(classify_show_target("1/2").kind, Kind::Volume);
    EXPECT_EQ(classify_show_target("").kind, Kind::Pool);
}

}  // namespace
}  // namespace volumectl
