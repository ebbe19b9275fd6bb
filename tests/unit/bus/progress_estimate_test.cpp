#include "service/bus/jobs/progress_estimate.hpp"

#include <gtest/gtest.h>

namespace volumes::bus {
namespace {

using namespace std::chrono_literals;

const auto steady_start = std::chrono::steady_clock::time_point{} + 10s;

// 0, 1000, 2000 and 3000 bytes done at steady_start and one, two and three seconds later.
ProgressEstimate three_steady_moves()
{
    ProgressEstimate estimate;
    for (std::uint64_t second = 0; second <= 3; ++second)
        estimate.sample(steady_start + std::chrono::seconds(second), 1000 * second);
    return estimate;
}

TEST(ProgressEstimate, NoRateBeforeTwoSamples)
{
    ProgressEstimate estimate;
    EXPECT_EQ(estimate.rate(), 0u);
    estimate.sample(std::chrono::steady_clock::time_point{} + 1s, 100);
    EXPECT_EQ(estimate.rate(), 0u);
    EXPECT_EQ(estimate.expected_end_usec(1'000'000, 1000), 0u);
}

TEST(ProgressEstimate, RateFromTwoSamplesButNoEndYet)
{
    ProgressEstimate estimate;
    auto start = std::chrono::steady_clock::time_point{} + 10s;
    estimate.sample(start, 0);
    estimate.sample(start + 2s, 2000);
    EXPECT_EQ(estimate.rate(), 1000u);
    // One move tells no pace: an end from it would be a guess.
    EXPECT_EQ(estimate.expected_end_usec(5'000'000, 10'000), 0u);
}

TEST(ProgressEstimate, EndFromThreeSteadyMoves)
{
    const auto estimate = three_steady_moves();
    // 7000 bytes left at 1000 bytes per second: 7 seconds from now.
    EXPECT_EQ(estimate.expected_end_usec(5'000'000, 10'000), 12'000'000u);
}

// md reports its position a sixteenth of the array at a time: samples between the steps
// keep the end where the steps put it, counted down by the time since the last step.
TEST(ProgressEstimate, StepsWithSamplesInBetween)
{
    ProgressEstimate estimate;
    auto start = std::chrono::steady_clock::time_point{} + 10s;
    const auto at = [&](int ms) { return start + std::chrono::milliseconds(ms); };
    std::uint64_t done = 0;
    for (int ms = 0; ms <= 6000; ms += 250) {
        if (ms > 0 && ms % 2000 == 0)
            done += 2000;
        estimate.sample(at(ms), done);
    }
    // 6000 of 16000 after 6 s at 1000 bytes per second: 10 s left.
    EXPECT_EQ(estimate.expected_end_usec(100'000'000, 16'000), 110'000'000u);
    estimate.sample(at(6500), done);
    EXPECT_EQ(estimate.expected_end_usec(100'000'000, 16'000), 109'500'000u);
}

TEST(ProgressEstimate, NoEndWhenThePaceChanges)
{
    ProgressEstimate estimate;
    auto start = std::chrono::steady_clock::time_point{} + 10s;
    estimate.sample(start, 0);
    estimate.sample(start + 1s, 1000);
    estimate.sample(start + 2s, 2000);
    estimate.sample(start + 3s, 8000);  // six times faster: a skip over clean regions, not a pace
    EXPECT_EQ(estimate.expected_end_usec(5'000'000, 100'000), 0u);
}

TEST(ProgressEstimate, NoEndWhenItStalls)
{
    const auto start = steady_start;
    auto estimate = three_steady_moves();
    EXPECT_NE(estimate.expected_end_usec(5'000'000, 10'000), 0u);
    estimate.sample(start + 5s, 3000);
    EXPECT_NE(estimate.expected_end_usec(5'000'000, 10'000), 0u);
    estimate.sample(start + 5s + 500ms, 3000);  // 2.5 s without a move, usually 1 s
    EXPECT_EQ(estimate.expected_end_usec(5'000'000, 10'000), 0u);
}

TEST(ProgressEstimate, ARestartedCountStartsOver)
{
    const auto start = steady_start;
    auto estimate = three_steady_moves();
    estimate.sample(start + 4s, 500);
    EXPECT_EQ(estimate.expected_end_usec(5'000'000, 10'000), 0u);
}

TEST(ProgressEstimate, OnlyARaid1MergesPositionIsNotItsWork)
{
    EXPECT_FALSE(done_bytes_measure_work("raid1-merge"));
    EXPECT_TRUE(done_bytes_measure_work("raid1-sync"));
    EXPECT_TRUE(done_bytes_measure_work("raid1-grow"));
    EXPECT_TRUE(done_bytes_measure_work("snapshot-merge"));
}

TEST(ProgressEstimate, AGrownArraysSyncCountsOnlyTheNewRegion)
{
    // A full sync: md's position is the work.
    EXPECT_EQ(sync_work(100, 400, 0), (SyncWork{100 * 512, 400 * 512}));
    // A grow from 300 to 400 sectors: md resyncs from 300, so 350 is half done.
    EXPECT_EQ(sync_work(350, 400, 300), (SyncWork{50 * 512, 100 * 512}));
    EXPECT_EQ(sync_work(400, 400, 300), (SyncWork{100 * 512, 100 * 512}));
    // Before the resync begins md may report 0: nothing done yet, not less than nothing.
    EXPECT_EQ(sync_work(0, 400, 300), (SyncWork{0, 100 * 512}));
    // A start past the end (the array is smaller than the job thought) leaves no work.
    EXPECT_EQ(sync_work(200, 200, 300), (SyncWork{0, 0}));
}

TEST(ProgressEstimate, FollowsTheLastWindowOnly)
{
    ProgressEstimate estimate(5s);
    auto start = std::chrono::steady_clock::time_point{} + 10s;
    estimate.sample(start, 0);
    estimate.sample(start + 1s, 100);  // slow at first
    for (int second = 2; second <= 20; ++second)
        estimate.sample(start + std::chrono::seconds(second), 100 + 1000 * static_cast<std::uint64_t>(second - 1));
    EXPECT_EQ(estimate.rate(), 1000u);
}

TEST(ProgressEstimate, NoRateWhenNothingMoved)
{
    ProgressEstimate estimate;
    auto start = std::chrono::steady_clock::time_point{} + 10s;
    estimate.sample(start, 500);
    estimate.sample(start + 3s, 500);
    EXPECT_EQ(estimate.rate(), 0u);
}

}  // namespace
}  // namespace volumes::bus
