#include <gtest/gtest.h>

#include "service/planner/plan.hpp"

namespace volumes::planner {
namespace {

TEST(PlanRender, EveryStepOnOneLine)
{
    const Plan plan{{
        Create{"volumes-p1-lv0", "VOLUMES-P1-lv0", false},
        Create{"volumes-p1-lv1", "VOLUMES-P1-lv1", true},
        Load{"VOLUMES-P1-lv0", {{0, 100, "linear", "8:16 2048"}, {100, 50, "linear", "8:32 0"}}, false},
        Load{"VOLUMES-P1-lv1", {{0, 100, "linear", "8:16 4096"}}, true},
        LoadError{"VOLUMES-P1-lv2", 409600},
        Suspend{"VOLUMES-P1-lv0", true, true},
        Suspend{"VOLUMES-P1-lv1", false, false},
        CommitMetadata{},
        Resume{"VOLUMES-P1-lv0"},
        Remove{"VOLUMES-P1-lv2"},
        WaitForUdev{},
    }};
    EXPECT_EQ(to_string(plan),
              "create volumes-p1-lv0 VOLUMES-P1-lv0\n"
              "create volumes-p1-lv1 VOLUMES-P1-lv1 read-only\n"
              "load VOLUMES-P1-lv0: 0 100 linear 8:16 2048 | 100 50 linear 8:32 0\n"
              "load VOLUMES-P1-lv1 read-only: 0 100 linear 8:16 4096\n"
              "load-error VOLUMES-P1-lv2 409600\n"
              "suspend VOLUMES-P1-lv0 no-flush skip-lockfs\n"
              "suspend VOLUMES-P1-lv1 flush lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv0\n"
              "remove VOLUMES-P1-lv2\n"
              "wait-for-udev\n");
}

TEST(PlanRender, EmptyPlanIsEmptyText)
{
    EXPECT_EQ(to_string(Plan{}), "");
}

TEST(PlanRender, StepsCompareByValue)
{
    const Step suspend_no_flush = Suspend{"u", true, false};
    EXPECT_EQ(suspend_no_flush, (Step{Suspend{"u", true, false}}));
    EXPECT_NE(suspend_no_flush, (Step{Suspend{"u", false, false}}));
    EXPECT_NE((Step{Resume{"u"}}), (Step{Remove{"u"}}));
}

}  // namespace
}  // namespace volumes::planner
