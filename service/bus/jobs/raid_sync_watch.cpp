#include "service/bus/jobs/raid_sync_watch.hpp"

#include <condition_variable>

#include <fmt/format.h>

#include "kmod/dm_event_poller.hpp"
#include "service/bus/state/state_reader.hpp"

namespace volumes::bus {

namespace {

std::string failed_slots(const engine::RaidSync& status)
{
    std::string slots;
    for (std::size_t slot = 0; slot < status.health.size(); ++slot)
        if (status.health[slot] == 'D')
            slots += (slots.empty() ? "" : ", ") + std::to_string(slot);
    return slots;
}

}  // namespace

RaidSyncWatches::RaidSyncWatches(const engine::Engine& engine, BusLoop& loop, std::chrono::milliseconds interval)
    : engine_(engine), loop_(loop), interval_(interval)
{
}

RaidSyncWatches::~RaidSyncWatches()
{
    stop();
}

void RaidSyncWatches::stop()
{
    std::list<std::jthread> threads;
    {
        std::lock_guard guard(lock_);
        threads.swap(threads_);
    }
    for (auto& thread : threads)
        thread.request_stop();
    threads.clear();
}

void RaidSyncWatches::watch(const std::string& pool, const std::string& volume, Report report)
{
    std::lock_guard guard(lock_);
    Key key{pool, volume};
    auto [entry, fresh] = watched_.try_emplace(key);
    entry->second.push_back(std::move(report));
    if (fresh)
        threads_.emplace_back([this, key](std::stop_token stop) { follow(stop, key); });
}

std::vector<RaidSyncWatches::Report> RaidSyncWatches::listeners(const Key& key, bool last)
{
    std::lock_guard guard(lock_);
    auto found = watched_.find(key);
    if (found == watched_.end())
        return {};
    auto reports = found->second;
    if (last)
        watched_.erase(found);
    return reports;
}

void RaidSyncWatches::follow(std::stop_token stop, Key key)
{
    using Outcome = RaidWatchReport::Outcome;
    using Clock = std::chrono::steady_clock;
    const auto& [pool, volume] = key;
    // dm-raid raises an event when a sync ends or a leg fails, not while it moves: the event
    // ends the wait at once, the interval paces the progress samples in between.
    auto events = kmod::DmEventPoller::open();
    std::mutex sleep_lock;
    std::condition_variable_any sleeper;
    auto sleep = [&](Clock::duration duration) {
        std::unique_lock guard(sleep_lock);
        sleeper.wait_for(guard, stop, duration, [] { return false; });
    };
    for (;;) {
        const auto sampled_at = Clock::now();
        if (events)
            (void)events->arm();
        RaidWatchReport sample;
        auto status = engine_.volume_status(pool, volume);
        if (!status) {
            sample.outcome = Outcome::Gone;
            sample.message = fmt::format("raid1 volume '{}' can no longer be followed: {}", volume, status.error().message);
        } else if (!status->active || !status->raid) {
            sample.outcome = Outcome::Gone;
            sample.message = fmt::format("raid1 volume '{}' was deactivated before its sync ended", volume);
        } else {
            sample.sync = raid_sync_state(*status->raid);
            if (sample.sync.failed_leg) {
                sample.outcome = Outcome::LegFailed;
                sample.message = fmt::format(
                    "the kernel marked image {} of raid1 volume '{}' failed (health {}); the array goes on serving "
                    "I/O from its other images: replace or remove the failed one",
                    failed_slots(*status->raid), volume,
                    std::string(status->raid->health.begin(), status->raid->health.end()));
            } else if (sample.sync.synced) {
                sample.outcome = Outcome::Synced;
                sample.message = fmt::format("raid1 volume '{}' is in sync", volume);
            }
        }
        if (auto snapshot = read_pool(engine_, pool))
            sample.snapshot = std::move(*snapshot);
        bool last = sample.outcome != Outcome::Running;
        auto reports = listeners(key, last);
        loop_.post([reports = std::move(reports), sample = std::move(sample)] {
            for (const auto& report : reports)
                report(sample);
        });
        if (last)
            return;
        bool waited = false;
        bool woken = false;
        if (events) {
            if (auto event = events->wait(interval_)) {
                waited = true;
                woken = *event;
            }
        }
        if (!waited)
            sleep(interval_);
        // Any dm device's event wakes the poller; samples stay at most ten a second.
        const auto spacing = interval_ * 2 / 5;
        if (woken && Clock::now() - sampled_at < spacing)
            sleep(sampled_at + spacing - Clock::now());
        if (stop.stop_requested())
            return;
    }
}

}  // namespace volumes::bus
