#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "service/bus/bus_loop.hpp"
#include "service/bus/jobs/watch_poller.hpp"
#include "service/engine/engine.hpp"

// Follows a snapshot merge until the kernel has copied every chunk back: samples the origin's
// snapshot-merge status four times a second (the kernel raises no event when a merge ends,
// kernel-targets.md §2.3) on the one thread of the WatchPoller every watch shares, and reports
// each sample, and the end, on the bus thread.
namespace volumes::bus {

struct MergeWatchReport {
    enum class Outcome { Running, Merged, Failed };
    Outcome outcome = Outcome::Running;
    std::uint64_t remaining_sectors = 0;  // COW data sectors still to be merged back
    std::string message;                  // for the ends: what happened
};

class SnapshotMergeWatches {
public:
    using Report = std::function<void(const MergeWatchReport&)>;

    SnapshotMergeWatches(const engine::Engine& engine, BusLoop& loop,
                         std::chrono::milliseconds interval = std::chrono::milliseconds(250),
                         std::shared_ptr<WatchPoller> poller = WatchPoller::shared());
    ~SnapshotMergeWatches();
    SnapshotMergeWatches(const SnapshotMergeWatches&) = delete;
    SnapshotMergeWatches& operator=(const SnapshotMergeWatches&) = delete;

    // Reports every sample of the snapshot's merge until it ends, to `report` on the bus
    // thread. False, and nothing started, when the snapshot is followed already.
    bool watch(const std::string& pool, const std::string& snapshot, Report report);
    // Ends every watch without a last report.
    void stop();

private:
    using Key = std::pair<std::string, std::string>;
    // One sample, reported; true when it was the last.
    bool follow(const Key& key, const Report& report);
    MergeWatchReport sample(const Key& key) const;

    const engine::Engine& engine_;
    BusLoop& loop_;
    std::chrono::milliseconds interval_;
    std::mutex lock_;
    std::set<Key> watched_;
    std::shared_ptr<WatchPoller> poller_;
};

}  // namespace volumes::bus
