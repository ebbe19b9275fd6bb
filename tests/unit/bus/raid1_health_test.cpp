// The health words of a raid1's images and of the array (Raid1.Images, Raid1.Health).
#include <gtest/gtest.h>

#include "service/bus/state/raid1_health.hpp"

namespace volumes::bus {
namespace {

LegFacts active(char kernel)
{
    LegFacts leg;
    leg.kernel = kernel;
    return leg;
}

std::vector<RaidImageState> images(std::initializer_list<const char*> words)
{
    std::vector<RaidImageState> out;
    for (const auto* word : words)
        out.push_back({static_cast<std::uint32_t>(out.size()), word, ""});
    return out;
}

TEST(ImageHealth, TheKernelsCharacterOfAnActiveArray)
{
    EXPECT_STREQ(image_health(active('A')), "alive");
    EXPECT_STREQ(image_health(active('a')), "syncing");
    EXPECT_STREQ(image_health(active('D')), "failed");
    EXPECT_STREQ(image_health(active('?')), "unknown");
}

TEST(ImageHealth, AnEmptySlotWithoutATrackedImageIsMissing)
{
    EXPECT_STREQ(image_health(active('-')), "missing");
    LegFacts tracked = active('-');
    tracked.tracked = true;
    EXPECT_STREQ(image_health(tracked), "split");
}

TEST(ImageHealth, AnInactiveArraysLegIsUnknownOnAMemberThatIsHereAndNotFailed)
{
    EXPECT_STREQ(image_health(LegFacts{}), "unknown");
    LegFacts missing;
    missing.member_missing = true;
    EXPECT_STREQ(image_health(missing), "missing");
    LegFacts failed;
    failed.member_failed = true;
    EXPECT_STREQ(image_health(failed), "failed");
}

TEST(ImageHealth, TheMembersStateGoesBeforeTheKernels)
{
    // A marked-failed member's leg runs as an empty slot; a missing member's too.
    LegFacts failed = active('-');
    failed.member_failed = true;
    EXPECT_STREQ(image_health(failed), "failed");
    LegFacts missing = active('A');
    missing.member_missing = true;
    EXPECT_STREQ(image_health(missing), "missing");
    // Marked failed and not found (every member missing since start-up is): missing.
    LegFacts both;
    both.member_failed = true;
    both.member_missing = true;
    EXPECT_STREQ(image_health(both), "missing");
    // A tracked image is split whatever its member.
    LegFacts tracked = both;
    tracked.tracked = true;
    EXPECT_STREQ(image_health(tracked), "split");
}

TEST(ArrayHealth, EveryImageServing)
{
    EXPECT_STREQ(array_health(images({"alive", "alive"}), ""), "ok");
    EXPECT_STREQ(array_health(images({"unknown", "unknown", "unknown"}), ""), "ok");
}

TEST(ArrayHealth, ASyncingLegAloneIsNotDegraded)
{
    EXPECT_STREQ(array_health(images({"syncing", "syncing"}), ""), "ok");
    EXPECT_STREQ(array_health(images({"alive", "syncing"}), ""), "ok");
}

TEST(ArrayHealth, SplitImagesDoNotCount)
{
    EXPECT_STREQ(array_health(images({"alive", "split"}), ""), "ok");
    EXPECT_STREQ(array_health(images({"alive", "missing", "split"}), ""), "degraded");
    EXPECT_STREQ(array_health(images({"failed", "split"}), ""), "failed");
}

TEST(ArrayHealth, AFailedOrMissingImageWhileAnotherServesIsDegraded)
{
    EXPECT_STREQ(array_health(images({"alive", "failed"}), ""), "degraded");
    EXPECT_STREQ(array_health(images({"missing", "alive", "alive"}), ""), "degraded");
    EXPECT_STREQ(array_health(images({"syncing", "missing"}), ""), "degraded");
    // An inactive array: its other leg is on a member that is here.
    EXPECT_STREQ(array_health(images({"unknown", "missing"}), ""), "degraded");
}

TEST(ArrayHealth, NoImageLeftToServeIsFailed)
{
    EXPECT_STREQ(array_health(images({"failed", "missing"}), ""), "failed");
    EXPECT_STREQ(array_health(images({"missing", "missing"}), ""), "failed");
}

TEST(ArrayHealth, AnUnavailableVolumeIsFailed)
{
    EXPECT_STREQ(array_health(images({"unknown", "unknown"}), "its origin 'base' has extents on a missing member"),
                 "failed");
    EXPECT_STREQ(array_health(images({"alive", "missing"}), "extents on a missing member"), "failed");
}

TEST(DescribeImages, EverySlotWithItsWordAndMember)
{
    std::vector<RaidImageState> shown{{0, "alive", "aaaa"}, {1, "missing", "bbbb"}, {2, "split", ""}};
    EXPECT_EQ(describe_images(shown), "slot 0 alive (aaaa), slot 1 missing (bbbb), slot 2 split (no member)");
    EXPECT_EQ(describe_images({}), "");
}

}  // namespace
}  // namespace volumes::bus
