#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "service/bus/bus_loop.hpp"

// Worker threads for what may block on the kernel or the disks. Work submitted under one key
// (a pool's name) runs one item at a time in submission order; different keys run in parallel.
namespace volumes::bus {

class WorkQueues {
public:
    WorkQueues() = default;
    ~WorkQueues();
    WorkQueues(const WorkQueues&) = delete;
    WorkQueues& operator=(const WorkQueues&) = delete;

    void submit(const std::string& key, Task work);
    // Runs what is queued, then joins every worker. Submissions after this are dropped.
    void shutdown();

private:
    struct Queue {
        std::deque<Task> work;
        std::thread thread;
    };
    void serve(Queue& queue);

    std::mutex lock_;
    std::condition_variable changed_;
    bool closing_ = false;
    std::map<std::string, std::unique_ptr<Queue>> queues_;
};

}  // namespace volumes::bus
