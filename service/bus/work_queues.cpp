#include "service/bus/work_queues.hpp"

#include "service/logging/log.hpp"

namespace volumes::bus {

WorkQueues::~WorkQueues()
{
    shutdown();
}

void WorkQueues::join(std::vector<std::thread> ended)
{
    for (auto& thread : ended)
        if (thread.joinable())
            thread.join();
}

void WorkQueues::submit(const std::string& key, Task work)
{
    std::vector<std::thread> ended;
    {
        std::lock_guard guard(lock_);
        if (!closing_) {
            ended.swap(ended_);
            auto& queue = queues_[key];
            if (!queue) {
                queue = std::make_unique<Queue>();
                queue->thread = std::thread([this, key, q = queue.get()] { serve(key, *q); });
            }
            queue->work.push_back(std::move(work));
        }
    }
    // A dropped task is destroyed here, outside the lock (what it owns may answer a call).
    work = nullptr;
    join(std::move(ended));
}

void WorkQueues::serve(const std::string& key, Queue& queue)
{
    std::unique_lock guard(lock_);
    while (!queue.work.empty()) {
        Task work = std::move(queue.work.front());
        queue.work.pop_front();
        guard.unlock();
        try {
            work();
        } catch (const std::exception& e) {
            logging::error({}, "a worker task failed: {}", e.what());
        }
        work = nullptr;
        guard.lock();
    }
    // Nothing left: this worker ends. Its handle waits in ended_ for a join; `queue` goes.
    ended_.push_back(std::move(queue.thread));
    queues_.erase(key);
    idle_.notify_all();
}

void WorkQueues::shutdown()
{
    std::vector<std::thread> ended;
    {
        std::unique_lock guard(lock_);
        closing_ = true;
        idle_.wait(guard, [this] { return queues_.empty(); });
        ended.swap(ended_);
    }
    join(std::move(ended));
}

}  // namespace volumes::bus
