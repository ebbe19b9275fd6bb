#include "service/bus/jobs/snapshot_merge_watch.hpp"

#include <fmt/format.h>

namespace volumes::bus {

SnapshotMergeWatches::SnapshotMergeWatches(const engine::Engine& engine, BusLoop& loop,
                                           std::chrono::milliseconds interval, std::shared_ptr<WatchPoller> poller)
    : engine_(engine), loop_(loop), interval_(interval), poller_(std::move(poller))
{
}

SnapshotMergeWatches::~SnapshotMergeWatches()
{
    stop();
}

void SnapshotMergeWatches::stop()
{
    poller_->cancel(this);
    std::lock_guard guard(lock_);
    watched_.clear();
}

bool SnapshotMergeWatches::watch(const std::string& pool, const std::string& snapshot, Report report)
{
    Key key{pool, snapshot};
    {
        std::lock_guard guard(lock_);
        if (!watched_.insert(key).second)
            return false;
    }
    poller_->add({this, interval_, false, [this, key, report = std::move(report)] { return follow(key, report); }});
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

bool SnapshotMergeWatches::follow(const Key& key, const Report& report)
{
    auto sampled = sample(key);
    const bool last = sampled.outcome != MergeWatchReport::Outcome::Running;
    if (last) {
        std::lock_guard guard(lock_);
        watched_.erase(key);
    }
    loop_.post([report, sampled = std::move(sampled)] { report(sampled); });
    return last;
}

}  // namespace volumes::bus
