#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "service/bus/bus_loop.hpp"
#include "service/bus/jobs/watch_poller.hpp"
#include "service/bus/state/service_state.hpp"
#include "service/engine/engine.hpp"

// Follows the sync of an active raid1 until it ends: samples the raid status four times a
// second, and soon after a dm event (the sync's end, a failed leg), on the one thread of the
// WatchPoller every watch shares, and reports each sample, and the end, on the bus thread.
namespace volumes::bus {

struct RaidWatchReport {
    enum class Outcome { Running, Synced, LegFailed, Gone };
    Outcome outcome = Outcome::Running;
    RaidSyncState sync;
    std::optional<PoolSnapshot> snapshot;  // the pool as of this sample, for the objects
    std::string message;                   // for the ends: what happened
};

class RaidSyncWatches {
public:
    using Report = std::function<void(const RaidWatchReport&)>;

    RaidSyncWatches(const engine::Engine& engine, BusLoop& loop,
                    std::chrono::milliseconds interval = std::chrono::milliseconds(250),
                    std::shared_ptr<WatchPoller> poller = WatchPoller::shared());
    ~RaidSyncWatches();
    RaidSyncWatches(const RaidSyncWatches&) = delete;
    RaidSyncWatches& operator=(const RaidSyncWatches&) = delete;

    // Reports every sample of the volume's sync from now until it ends, to `report` on the
    // bus thread. A volume already followed gets one more listener, not a second watch.
    void watch(const std::string& pool, const std::string& volume, Report report);
    // Ends every watch without a last report.
    void stop();

private:
    using Key = std::pair<std::string, std::string>;
    // One sample of the volume, reported; true when it was the last.
    bool sample(const Key& key);
    // The listeners to tell about this sample; a last sample also ends the watch.
    std::vector<Report> listeners(const Key& key, bool last);

    const engine::Engine& engine_;
    BusLoop& loop_;
    std::chrono::milliseconds interval_;
    std::mutex lock_;
    std::map<Key, std::vector<Report>> watched_;
    std::shared_ptr<WatchPoller> poller_;
};

}  // namespace volumes::bus
