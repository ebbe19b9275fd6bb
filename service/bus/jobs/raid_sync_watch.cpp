#include "service/bus/jobs/raid_sync_watch.hpp"

#include <fmt/format.h>

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

RaidSyncWatches::RaidSyncWatches(const engine::Engine& engine, BusLoop& loop, std::chrono::milliseconds interval,
                                 std::shared_ptr<WatchPoller> poller)
    : engine_(engine), loop_(loop), interval_(interval), poller_(std::move(poller))
{
}

RaidSyncWatches::~RaidSyncWatches()
{
    stop();
}

void RaidSyncWatches::stop()
{
    poller_->cancel(this);
    std::lock_guard guard(lock_);
    watched_.clear();
}

void RaidSyncWatches::watch(const std::string& pool, const std::string& volume, Report report)
{
    Key key{pool, volume};
    {
        std::lock_guard guard(lock_);
        auto [entry, fresh] = watched_.try_emplace(key);
        entry->second.push_back(std::move(report));
        if (!fresh)
            return;
    }
    // dm-raid raises an event when a sync ends or a leg fails, not while it moves: the event
    // brings the next sample forward, the interval paces the progress samples in between.
    poller_->add({this, interval_, true, [this, key] { return sample(key); }});
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

bool RaidSyncWatches::sample(const Key& key)
{
    using Outcome = RaidWatchReport::Outcome;
    const auto& [pool, volume] = key;
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
    const bool last = sample.outcome != Outcome::Running;
    auto reports = listeners(key, last);
    loop_.post([reports = std::move(reports), sample = std::move(sample)] {
        for (const auto& report : reports)
            report(sample);
    });
    return last;
}

}  // namespace volumes::bus
