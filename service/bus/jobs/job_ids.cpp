#include "service/bus/jobs/job_ids.hpp"

#include <time.h>

namespace volumes::bus {

std::uint64_t first_job_id()
{
    timespec now{};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000 + static_cast<std::uint64_t>(now.tv_nsec) / 1000 + 1;
}

}  // namespace volumes::bus
