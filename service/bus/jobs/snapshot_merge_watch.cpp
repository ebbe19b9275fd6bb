#include "service/bus/jobs/snapshot_merge_watch.hpp"

#include <condition_variable>

#include <fmt/format.h>

namespace volumes::bus {

SnapshotMergeWatches::SnapshotMergeWatches(const engine::Engine& engine, BusLoop& loop,
                                           std::chrono::milliseconds interval)
    : engine_(engine), loop_(loop), interval_(interval)
{
}

SnapshotMergeWatches::~SnapshotMergeWatches()
{
    stop();
}

void SnapshotMergeWatches::stop()
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

bool SnapshotMergeWatches::watch(const std::string& pool, const std::string& snapshot, Report report)
{
    std::lock_guard guard(lock_);
    Key key{pool, snapshot};
    if (!watched_.insert(key).second)
        return false;
    threads_.emplace_back(
        [this, key, report = std::move(report)](std::stop_token stop) { follow(stop, key, report); });
    return true;
}

MergeWatchReport SnapshotMergeWatches::sample(const Key& key) const
{
    using Outcome = MergeWatchReport::Outcome;
    const auto& [pool, snapshot] = key;
    MergeWatchReport report;
    auto usage = engine_.snapshot_usage(pool, snapshot);
    if (!usage) {
        report.outcome = Outcome::Failed;
        report.message = fmt::format("the merge of snapshot '{}' can no longer be followed: {}", snapshot,
                                     usage.error().message);
    } else if (!*usage) {
        report.outcome = Outcome::Failed;
        report.message = fmt::format("the origin of snapshot '{}' was deactivated before the merge ended; the merge "
                                     "goes on at its next activation",
                                     snapshot);
    } else if ((*usage)->state == "merge-failed") {
        report.outcome = Outcome::Failed;
        report.message = fmt::format("Merge failed: the kernel stopped merging snapshot '{}' after an I/O error; "
                                     "nothing was removed, and the merge is retried at the origin's next activation",
                                     snapshot);
    } else if ((*usage)->state == "invalid") {
        report.outcome = Outcome::Failed;
        report.message = fmt::format("snapshot '{}' became invalid while merging; nothing was removed", snapshot);
    } else if ((*usage)->merge_finished) {
        report.outcome = Outcome::Merged;
    } else {
        report.remaining_sectors = (*usage)->allocated_sectors - (*usage)->metadata_sectors;
    }
    return report;
}

void SnapshotMergeWatches::follow(std::stop_token stop, Key key, Report report)
{
    std::mutex sleep_lock;
    std::condition_variable_any sleeper;
    for (;;) {
        auto sampled = sample(key);
        const bool last = sampled.outcome != MergeWatchReport::Outcome::Running;
        if (last) {
            std::lock_guard guard(lock_);
            watched_.erase(key);
        }
        loop_.post([report, sampled = std::move(sampled)] { report(sampled); });
        if (last)
            return;
        std::unique_lock guard(sleep_lock);
        sleeper.wait_for(guard, stop, interval_, [] { return false; });
        if (stop.stop_requested())
            return;
    }
}

}  // namespace volumes::bus
