#include "service/executor/udev_reaper.hpp"

namespace volumes::executor {

UdevReaper::UdevReaper() : thread_([this](std::stop_token stop) { run(stop); }) {}

UdevReaper::~UdevReaper()
{
    drain();
    thread_.request_stop();
}

void UdevReaper::hand_over(kmod::UdevCookie cookie)
{
    {
        std::lock_guard guard(lock_);
        pending_.push_back(std::move(cookie));
    }
    changed_.notify_all();
}

void UdevReaper::drain()
{
    std::unique_lock guard(lock_);
    changed_.wait(guard, [&] { return pending_.empty() && !waiting_; });
}

void UdevReaper::run(std::stop_token stop)
{
    std::unique_lock guard(lock_);
    for (;;) {
        if (!changed_.wait(guard, stop, [&] { return !pending_.empty(); }))
            return;
        auto cookie = std::move(pending_.front());
        pending_.pop_front();
        waiting_ = true;
        guard.unlock();
        (void)cookie.wait();
        guard.lock();
        waiting_ = false;
        changed_.notify_all();
    }
}

}  // namespace volumes::executor
