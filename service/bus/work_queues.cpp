#include "service/bus/work_queues.hpp"

#include "service/logging/log.hpp"

namespace volumes::bus {

WorkQueues::~WorkQueues()
{
    shutdown();
}

void WorkQueues::submit(const std::string& key, Task work)
{
    std::lock_guard guard(lock_);
    if (closing_)
        return;
    auto& queue = queues_[key];
    if (!queue) {
        queue = std::make_unique<Queue>();
        queue->thread = std::thread([this, q = queue.get()] { serve(*q); });
    }
    queue->work.push_back(std::move(work));
    changed_.notify_all();
}

void WorkQueues::serve(Queue& queue)
{
    std::unique_lock guard(lock_);
    for (;;) {
        changed_.wait(guard, [&] { return closing_ || !queue.work.empty(); });
        if (queue.work.empty())
            return;
        Task work = std::move(queue.work.front());
        queue.work.pop_front();
        guard.unlock();
        try {
            work();
        } catch (const std::exception& e) {
            logging::error({}, "a worker task failed: {}", e.what());
        }
        guard.lock();
    }
}

void WorkQueues::shutdown()
{
    {
        std::lock_guard guard(lock_);
        closing_ = true;
        changed_.notify_all();
    }
    for (auto& [key, queue] : queues_)
        if (queue->thread.joinable())
            queue->thread.join();
}

}  // namespace volumes::bus
