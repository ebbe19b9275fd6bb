#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "volumes/client/objects.hpp"

namespace volumes::client {

// Raid1.SyncProgress.
struct SyncProgress {
    std::string action;
    double ratio = 0.0;
    std::uint64_t done_sectors = 0;
    std::uint64_t total_sectors = 0;
};

// Snapshot.MergeCompleted.
struct MergeCompleted {
    std::string origin;
    bool success = false;
    std::string message;
};

// How a job ended (Job.Completed, or its Finished/Success/Message properties when it had
// ended before anyone waited).
struct JobResult {
    bool success = false;
    std::string message;
    JobInfo final_state;  // the job's properties when it ended
};

struct WaitOptions {
    // Called with the job's properties each time they change, and once at the start.
    std::function<void(const JobInfo&)> on_progress;
    // Polled at least every 100 ms; returning true stops the wait with WaitInterrupted.
    std::function<bool()> stop_requested;
    // When stop_requested fires, call Job.Cancel first (its own errors, such as
    // NotSupported for a job that cannot be cancelled, are thrown instead).
    bool cancel_job_on_stop = false;
    std::chrono::milliseconds timeout = std::chrono::hours(24);
};

// A signal subscription. The handler runs on the thread that calls Client::dispatch_for,
// Client::dispatch_until or Client::wait_for_job. Destroying the subscription ends it; it
// must not outlive the Client that made it.
class Subscription {
public:
    class Impl;
    Subscription();
    explicit Subscription(std::unique_ptr<Impl> impl);
    Subscription(Subscription&&) noexcept;
    Subscription& operator=(Subscription&&) noexcept;
    ~Subscription();

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace volumes::client
