#include <gtest/gtest.h>

#include "pool_fixture.hpp"
#include "raid1_fixture.hpp"
#include "service/planner/plan_transaction.hpp"

namespace volumes::planner {
namespace {

using namespace testing;

// The split image as its own visible, read-only volume "lv1split" (253:5) on rimage_1's sectors.
DesiredDevice split_image()
{
    auto image = desired("lv1split", linear(sdc, 10240, raid1_length));
    image.read_only = true;
    return image;
}

std::vector<DesiredDevice> split_set()
{
    return {
        desired("lv1", raid1({leg(0, 1), kmod::Raid1Leg{}}), {"lv1_rmeta_0", "lv1_rimage_0"}),
        rmeta(0),
        rimage(0),
        split_image(),
    };
}

// kernel-targets.md §1.4: the raid1 is reloaded with "- -" in slot 1 and the image comes back
// as a read-only device of its own; the old rmeta_1 and rimage_1 devices leave with error
// tables and go once the raid1 has resumed without them.
TEST(PlanRaid1Split, SplitImageBecomesAReadOnlyVolume)
{
    EXPECT_EQ(render(plan_transaction(live_state(raid1_set()), DesiredGraph{split_set()}, prefix)),
              "load VOLUMES-P1-lv1: 0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 - -\n"
              "create volumes-p1-lv1split VOLUMES-P1-lv1split read-only\n"
              "load VOLUMES-P1-lv1split read-only: 0 2097152 linear 8:32 10240\n"
              "load-error VOLUMES-P1-lv1_rmeta_1 8192\n"
              "load-error VOLUMES-P1-lv1_rimage_1 2097152\n"
              "suspend VOLUMES-P1-lv1 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1\n"
              "resume VOLUMES-P1-lv1split awaited\n"
              "resume VOLUMES-P1-lv1_rmeta_1 as internal\n"
              "resume VOLUMES-P1-lv1_rimage_1 as internal\n"
              "remove VOLUMES-P1-lv1_rmeta_1\n"
              "remove VOLUMES-P1-lv1_rimage_1\n"
              "wait-for-udev\n");
}

// The same split when the metadata keeps rimage_1's device and only makes it read-only: it is
// reloaded in place, and only rmeta_1 leaves.
TEST(PlanRaid1Split, SplitImageKeepingItsDevice)
{
    auto image = rimage(1);
    image.read_only = true;
    const std::vector<DesiredDevice> after{
        desired("lv1", raid1({leg(0, 1), kmod::Raid1Leg{}}), {"lv1_rmeta_0", "lv1_rimage_0"}),
        rmeta(0),
        rimage(0),
        image,
    };
    EXPECT_EQ(render(plan_transaction(live_state(raid1_set()), DesiredGraph{after}, prefix)),
              "load VOLUMES-P1-lv1: 0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 - -\n"
              "load VOLUMES-P1-lv1_rimage_1 read-only: 0 2097152 linear 8:32 10240\n"
              "load-error VOLUMES-P1-lv1_rmeta_1 8192\n"
              "suspend VOLUMES-P1-lv1 flush skip-lockfs\n"
              "suspend VOLUMES-P1-lv1_rimage_1 flush skip-lockfs\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1\n"
              "resume VOLUMES-P1-lv1_rimage_1\n"
              "resume VOLUMES-P1-lv1_rmeta_1 as internal\n"
              "remove VOLUMES-P1-lv1_rmeta_1\n"
              "wait-for-udev\n");
}

// kernel-targets.md §1.5: the split volume goes, new rmeta_1 (253:6) and rimage_1 (253:7) are
// created on the same sectors as before, and the raid1 gets them back in slot 1 with no rebuild.
// The split volume is suspended before commit and only resumed, on its error table, after the
// raid1 is running again.
TEST(PlanRaid1Split, MergeBack)
{
    const auto split = split_set();
    const std::vector<DesiredDevice> merged{
        desired("lv1", raid1({leg(0, 1), leg(6, 7)}), {"lv1_rmeta_0", "lv1_rimage_0", "lv1_rmeta_1", "lv1_rimage_1"}),
        rmeta(0),
        rimage(0),
        rmeta(1),
        rimage(1),
    };
    EXPECT_EQ(render(plan_transaction(live_state(split), DesiredGraph{merged}, prefix)),
              "create volumes-p1-lv1_rmeta_1 VOLUMES-P1-lv1_rmeta_1\n"
              "load VOLUMES-P1-lv1_rmeta_1: 0 8192 linear 8:32 2048\n"
              "resume-new-child VOLUMES-P1-lv1_rmeta_1 awaited\n"
              "create volumes-p1-lv1_rimage_1 VOLUMES-P1-lv1_rimage_1\n"
              "load VOLUMES-P1-lv1_rimage_1: 0 2097152 linear 8:32 10240\n"
              "resume-new-child VOLUMES-P1-lv1_rimage_1 awaited\n"
              "load VOLUMES-P1-lv1: 0 2097152 raid raid1 3 0 region_size 1024 2 253:0 253:1 253:6 253:7\n"
              "load-error VOLUMES-P1-lv1split 2097152\n"
              "suspend VOLUMES-P1-lv1 flush skip-lockfs\n"
              "suspend VOLUMES-P1-lv1split flush lockfs as udev knows it\n"
              "commit-metadata\n"
              "resume VOLUMES-P1-lv1\n"
              "resume VOLUMES-P1-lv1split as internal\n"
              "remove VOLUMES-P1-lv1split\n"
              "wait-for-udev\n");
}

// A split volume still mounted cannot be merged back: its error table would fail the filesystem.
TEST(PlanRaid1Split, MergeBackRefusedWhileTheSplitVolumeIsOpen)
{
    auto live = live_state(split_set());
    live.devices[3].open_count = 1;
    const std::vector<DesiredDevice> merged{
        desired("lv1", raid1({leg(0, 1), leg(6, 7)}), {"lv1_rmeta_0", "lv1_rimage_0", "lv1_rmeta_1", "lv1_rimage_1"}),
        rmeta(0),
        rimage(0),
        rmeta(1),
        rimage(1),
    };
    const auto plan = plan_transaction(live, DesiredGraph{merged}, prefix);
    ASSERT_FALSE(plan.has_value()) << render(plan);
    EXPECT_EQ(plan.error().code, ErrorCode::Busy) << plan.error().message;
    EXPECT_NE(plan.error().message.find("volumes-p1-lv1split"), std::string::npos) << plan.error().message;
}

}  // namespace
}  // namespace volumes::planner
