#include "service/bus/jobs/progress_estimate.hpp"

#include <gtest/gtest.h>

namespace volumes::bus {
namespace {

using namespace std::chrono_literals;

TEST(ProgressEstimate, NoRateBeforeTwoSamples)
{
    ProgressEstimate estimate;
    EXPECT_EQ(estimate.rate(), 0u);
    estimate.sample(std::chrono::steady_clock::time_point{} + 1s, 100);
    EXPECT_EQ(estimate.rate(), 0u);
    EXPECT_EQ(estimate.expected_end_usec(1'000'000, 1000), 0u);
}

TEST(ProgressEstimate, RateAndEndFromTheSamples)
{
    ProgressEstimate estimate;
    auto start = std::chrono::steady_clock::time_point{} + 10s;
    estimate.sample(start, 0);
    estimate.sample(start + 2s, 2000);
    EXPECT_EQ(estimate.rate(), 1000u);
    // 8000 bytes left at 1000 bytes per second: 8 seconds from now.
    EXPECT_EQ(estimate.expected_end_usec(5'000'000, 10'000), 13'000'000u);
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
