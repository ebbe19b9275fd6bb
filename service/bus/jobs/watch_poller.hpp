#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

// One thread that follows every raid sync and snapshot merge of the daemon. Each watch is a
// sample function called every `interval` (due times advance by the interval, so a slow
// sample delays the others but the cadence does not drift), and, for a watch that wakes on dm
// events, soon after any device-mapper event (kmod::DmEventPoller: one poller for every
// device; dm-raid raises one when a sync ends or a leg fails), but no sooner than two fifths
// of its interval after its last sample. A sample that returns true ended its watch: the watch
// and what its function holds are freed at once.
namespace volumes::bus {

class WatchPoller {
public:
    using Sample = std::function<bool()>;  // true: the watch has ended
    struct Watch {
        const void* owner = nullptr;  // whose watch it is, for cancel()
        std::chrono::milliseconds interval{250};
        bool wakes_on_dm_events = false;
        Sample sample;
        // Sampled at add() and then only after dm events, never paced: `interval` is then only
        // the least time between two samples (two fifths of it). Needs wakes_on_dm_events.
        bool events_only = false;
    };

    WatchPoller();
    // Stops the thread; no sample runs after it returns.
    ~WatchPoller();
    WatchPoller(const WatchPoller&) = delete;
    WatchPoller& operator=(const WatchPoller&) = delete;

    // The process's poller while anyone holds it: the raid sync and merge watches share it.
    static std::shared_ptr<WatchPoller> shared();

    // Samples `watch` at once, then as above. Starts the thread on the first watch.
    void add(Watch watch);
    // Ends every watch of `owner` without sampling it again; when it returns no sample of
    // `owner` is running (unless called from a sample, which must not wait for itself).
    void cancel(const void* owner);

    std::size_t watch_count() const;

private:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        std::uint64_t id = 0;
        Watch watch;
        Clock::time_point due;
        Clock::time_point sampled;
    };

    void run(const std::stop_token& stop);
    // Samples every watch due at `now`; whether one of them wakes on dm events.
    void sample_due(Clock::time_point now, const std::function<void()>& before_event_watches);
    void wake() const;

    mutable std::mutex lock_;
    std::condition_variable sampled_;  // a sample ended
    std::list<Entry> entries_;
    std::uint64_t next_id_ = 1;
    const void* sampling_owner_ = nullptr;  // of the sample running now
    int wake_fd_ = -1;
    std::jthread thread_;
};

}  // namespace volumes::bus
