#include "service/bus/jobs/watch_poller.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <vector>

#include "kmod/dm_event_poller.hpp"
#include "service/logging/log.hpp"

namespace volumes::bus {

WatchPoller::WatchPoller() : wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
    if (wake_fd_ < 0)
        throw std::system_error(errno, std::generic_category(), "eventfd for the watch poller");
}

WatchPoller::~WatchPoller()
{
    if (thread_.joinable()) {
        thread_.request_stop();
        wake();
        thread_.join();
    }
    ::close(wake_fd_);
}

std::shared_ptr<WatchPoller> WatchPoller::shared()
{
    static std::mutex lock;
    static std::weak_ptr<WatchPoller> current;
    std::lock_guard guard(lock);
    auto poller = current.lock();
    if (!poller) {
        poller = std::make_shared<WatchPoller>();
        current = poller;
    }
    return poller;
}

void WatchPoller::add(Watch watch)
{
    {
        std::lock_guard guard(lock_);
        entries_.push_back({next_id_++, std::move(watch), Clock::now(), {}});
        if (!thread_.joinable())
            thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
    }
    wake();
}

void WatchPoller::cancel(const void* owner)
{
    std::unique_lock guard(lock_);
    entries_.remove_if([&](const Entry& entry) { return entry.watch.owner == owner; });
    if (std::this_thread::get_id() != thread_.get_id())
        sampled_.wait(guard, [&] { return sampling_owner_ != owner; });
}

std::size_t WatchPoller::watch_count() const
{
    std::lock_guard guard(lock_);
    return entries_.size();
}

void WatchPoller::wake() const
{
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
}

void WatchPoller::sample_due(Clock::time_point now, const std::function<void()>& before_event_watches)
{
    std::vector<std::uint64_t> due;
    bool event_watches = false;
    {
        std::lock_guard guard(lock_);
        std::vector<const Entry*> ready;
        for (const auto& entry : entries_)
            if (entry.due <= now)
                ready.push_back(&entry);
        // Most overdue first.
        std::stable_sort(ready.begin(), ready.end(), [](const Entry* a, const Entry* b) { return a->due < b->due; });
        for (const auto* entry : ready) {
            due.push_back(entry->id);
            event_watches = event_watches || entry->watch.wakes_on_dm_events;
        }
    }
    // Arm before reading what the watches follow, so an event during the reads is not lost.
    if (event_watches)
        before_event_watches();
    for (const auto id : due) {
        Sample sample;
        {
            std::lock_guard guard(lock_);
            const auto entry = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
            if (entry == entries_.end())
                continue;  // cancelled meanwhile
            sampling_owner_ = entry->watch.owner;
            // Moved out for the call, so cancel() can erase the entry meanwhile; put back after.
            sample = std::move(entry->watch.sample);
        }
        const auto started = Clock::now();
        bool ended = true;
        try {
            ended = sample();
        } catch (const std::exception& error) {
            logging::error({}, "a job's watch failed and is dropped: {}", error.what());
        }
        {
            std::lock_guard guard(lock_);
            sampling_owner_ = nullptr;
            const auto entry = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
            if (entry != entries_.end()) {
                if (ended) {
                    entries_.erase(entry);
                } else {
                    entry->watch.sample = std::move(sample);
                    entry->sampled = started;
                    entry->due = entry->watch.events_only ? Clock::time_point::max()
                                                          : std::max(entry->due + entry->watch.interval, started);
                }
            }
        }
        // Outside the lock: what the function captured is freed here, not under the lock.
        sample = nullptr;
        sampled_.notify_all();
    }
}

void WatchPoller::run(const std::stop_token& stop)
{
    // Without dm events (no /dev/mapper/control, an old kernel) the watches are only paced.
    auto events = kmod::DmEventPoller::open();
    if (!events)
        logging::notice({}, "raid syncs are followed without dm events: {}", events.error().message);
    bool armed = false;
    const auto mark_event_watches = [&](Clock::time_point now) {
        std::lock_guard guard(lock_);
        for (auto& entry : entries_)
            if (entry.watch.wakes_on_dm_events)
                entry.due = std::min(entry.due, std::max(now, entry.sampled + entry.watch.interval * 2 / 5));
    };
    while (!stop.stop_requested()) {
        sample_due(Clock::now(), [&] {
            // An event between the last wait and now would be lost by arming again: take it first.
            if (armed) {
                auto seen = events->wait(std::chrono::milliseconds(0));
                if (seen && *seen)
                    mark_event_watches(Clock::now());
            }
            armed = events && events->arm().has_value();
        });

        std::optional<Clock::time_point> next;
        bool event_watches = false;
        {
            std::lock_guard guard(lock_);
            for (const auto& entry : entries_) {
                next = next ? std::min(*next, entry.due) : entry.due;
                event_watches = event_watches || entry.watch.wakes_on_dm_events;
            }
        }
        int timeout_ms = -1;
        if (next) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
            timeout_ms = static_cast<int>(std::clamp<std::int64_t>(left, 0, 60'000));
        }
        pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {armed && event_watches ? events->fd() : -1, POLLIN, 0}};
        if (::poll(fds, 2, timeout_ms) < 0 && errno != EINTR) {
            logging::error({}, "the job watch poller's poll failed: {}", std::strerror(errno));
            ::usleep(100'000);
        }
        if (fds[0].revents & POLLIN) {
            std::uint64_t count = 0;
            (void)!::read(wake_fd_, &count, sizeof count);
        }
        if (fds[1].revents & POLLIN) {
            armed = false;  // readable until armed again, which the next round does
            mark_event_watches(Clock::now());
        }
    }
}

}  // namespace volumes::bus
