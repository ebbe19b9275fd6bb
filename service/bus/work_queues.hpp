#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/bus/bus_loop.hpp"

// Worker threads for what may block on the kernel or the disks. Work submitted under one key
// (a pool's name) runs one item at a time in submission order; different keys run in parallel.
// A key's worker thread lives while the key has work: it ends when its queue is empty, and the
// next submission starts another. So the workers of destroyed pools end, and the daemon keeps
// no thread for a pool that is idle.
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
    void serve(const std::string& key, Queue& queue);
    // Joins the workers that have ended (outside the lock: they may still be leaving it).
    static void join(std::vector<std::thread> ended);

    std::mutex lock_;
    std::condition_variable idle_;  // a worker ended
    bool closing_ = false;
    std::map<std::string, std::unique_ptr<Queue>> queues_;  // the keys with a worker
    std::vector<std::thread> ended_;  // workers that ended and are not joined yet
};

}  // namespace volumes::bus
