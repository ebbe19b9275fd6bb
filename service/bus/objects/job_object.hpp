#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/objects/method_calls.hpp"

namespace volumes::bus {

struct JobState {
    std::uint64_t id = 0;
    std::string operation;
    std::vector<std::string> objects;  // object paths
    std::uint32_t started_by_uid = 0;
    double progress = 0.0;
    bool progress_valid = false;
    std::uint64_t bytes = 0;
    std::uint64_t rate = 0;
    std::uint64_t expected_end_time = 0;  // microseconds since the epoch
    bool cancelable = false;
    bool finished = false;
    bool success = false;
    std::string message;
    bool operator==(const JobState&) const = default;
};

// /org/example/Volumes/jobs/<id>: org.example.Volumes.Job.
class JobObject {
public:
    JobObject(sdbus::IConnection& connection, JobState state, MethodCalls& calls);
    ~JobObject();
    JobObject(const JobObject&) = delete;
    JobObject& operator=(const JobObject&) = delete;

    const JobState& state() const { return state_; }
    // PropertiesChanged for what differs; Completed when the job has just finished.
    void update(const JobState& state);

private:
    class Interface;
    JobState state_;
    std::unique_ptr<sdbus::IObject> object_;
    std::unique_ptr<Interface> interface_;
};

}  // namespace volumes::bus
