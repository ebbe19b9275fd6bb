#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/bus_loop.hpp"
#include "service/bus/jobs/job_ids.hpp"
#include "service/bus/jobs/progress_estimate.hpp"
#include "service/bus/objects/job_object.hpp"
#include "service/bus/objects/method_calls.hpp"

// The exported Job objects. A finished job stays exported for the retention time, then goes.
// Bus thread only.
namespace volumes::bus {

struct JobDescription {
    std::string operation;
    std::vector<std::string> objects;  // object paths
    uid_t started_by_uid = 0;
    bool cancelable = false;  // Job.Cancel stops it (the caller handles the call)
};

class JobRegistry {
public:
    JobRegistry(sdbus::IConnection& connection, BusLoop& loop, MethodCalls& calls, std::chrono::seconds retention);

    std::uint64_t start(JobDescription description);
    void progress(std::uint64_t id, std::uint64_t done_bytes, std::uint64_t total_bytes);
    // Completed is emitted; the object is withdrawn after the retention time.
    void finish(std::uint64_t id, bool success, std::string message);

    const JobState* find(std::uint64_t id) const;

private:
    struct Entry {
        std::unique_ptr<JobObject> object;
        ProgressEstimate estimate;
    };

    sdbus::IConnection& connection_;
    BusLoop& loop_;
    MethodCalls& calls_;
    std::chrono::seconds retention_;
    std::uint64_t next_id_ = first_job_id();
    std::map<std::uint64_t, Entry> jobs_;
};

}  // namespace volumes::bus
