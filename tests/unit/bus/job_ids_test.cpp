// A daemon's first job number: later starts begin higher, so no job path is given twice.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "service/bus/jobs/job_ids.hpp"

namespace volumes::bus {
namespace {

TEST(JobIds, ALaterStartBeginsAboveEveryNumberAnEarlierOneCouldHaveUsedSoFar)
{
    const auto first = first_job_id();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const auto second = first_job_id();
    EXPECT_GT(first, 0U);
    // One number per microsecond of the earlier daemon's life: 2 ms leave room for 2000 jobs.
    EXPECT_GE(second - first, 2000U);
}

}  // namespace
}  // namespace volumes::bus
