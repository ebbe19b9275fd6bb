#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <string>

#include "service/bus/authorization/authority.hpp"
#include "service/bus/bus_loop.hpp"
#include "service/bus/jobs/job_registry.hpp"
#include "service/bus/jobs/raid_sync_watch.hpp"
#include "service/bus/jobs/snapshot_merge_watch.hpp"
#include "service/bus/objects/manager_object.hpp"
#include "service/bus/objects/method_calls.hpp"
#include "service/bus/objects/object_tree.hpp"
#include "service/bus/work_queues.hpp"
#include "service/engine/engine.hpp"

// Every method call, end to end (architecture.md "A mutating call"): on the bus thread the
// caller is authorized (asynchronously) and the arguments checked; the engine call runs on the
// pool's worker; its result and the pool's new state come back to the bus thread, where the
// objects are updated before the reply goes out.
namespace volumes::bus {

class RequestHandler final : public MethodCalls {
public:
    RequestHandler(engine::Engine& engine, BusLoop& loop, WorkQueues& queues, Authority& authority);

    // The objects and jobs this handler updates; set once, before the first call.
    void attach(ManagerObject& manager, ObjectTree& tree, JobRegistry& jobs, RaidSyncWatches& watches,
                SnapshotMergeWatches& merges);

    // Reads every pool and exports what it found; raid1 volumes still syncing get a
    // "raid1-sync" job, snapshots merging a "snapshot-merge" job. Then keeps the snapshots'
    // COW usage current (refresh_snapshots). For start-up: it blocks, so call it before the
    // bus loop runs.
    void export_all();

    void create_pool(CallContext call, std::string name, std::vector<std::string> devices,
                     sdbus::Result<sdbus::ObjectPath> result) override;
    void import_pool(CallContext call, std::string pool, sdbus::Result<sdbus::ObjectPath> result) override;
    void create_volume(CallContext call, std::string pool, std::string name, std::uint64_t size,
                       sdbus::Result<sdbus::ObjectPath> result) override;
    void create_thin_pool(CallContext call, std::string pool, std::string name, std::uint64_t data_size,
                          std::uint64_t metadata_size, sdbus::Result<sdbus::ObjectPath> result) override;
    void destroy_pool(CallContext call, std::string pool, sdbus::Result<> result) override;
    void create_snapshot(CallContext call, VolumeRef volume, std::string name, std::uint64_t cow_size,
                         sdbus::Result<sdbus::ObjectPath> result) override;
    void remove_volume(CallContext call, VolumeRef volume, sdbus::Result<> result) override;
    void activate(CallContext call, VolumeRef volume, sdbus::Result<> result) override;
    void deactivate(CallContext call, VolumeRef volume, sdbus::Result<> result) override;
    void split_track(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result) override;
    void split(CallContext call, VolumeRef array, std::string new_name,
               sdbus::Result<sdbus::ObjectPath> result) override;
    void merge_tracked_image(CallContext call, VolumeRef image, sdbus::Result<sdbus::ObjectPath> result) override;
    void merge_snapshot(CallContext call, VolumeRef snapshot, sdbus::Result<sdbus::ObjectPath, bool> result) override;
    void create_thin(CallContext call, VolumeRef thin_pool, std::string name, std::uint64_t virtual_size,
                     sdbus::Result<sdbus::ObjectPath> result) override;
    void reserve_metadata_snap(CallContext call, VolumeRef thin_pool,
                               sdbus::Result<std::uint64_t, std::string, std::uint64_t> result) override;
    void release_metadata_snap(CallContext call, VolumeRef thin_pool, sdbus::Result<> result) override;
    void cancel_job(CallContext call, std::uint64_t job, sdbus::Result<> result) override;

private:
    struct Target {
        std::string pool;
        std::string volume;
        std::string operation;  // the method's name, for polkit details and the log
        std::map<std::string, std::string> details{};  // more polkit details
    };
    using Allowed = std::function<void(uid_t uid)>;

    // Runs `then` on the bus thread once the caller may do `action`; otherwise answers
    // NotAuthorized (or InvalidArgument for a malformed auth option) through `fail`.
    void authorize(const CallContext& call, const char* action, const Target& target,
                   std::function<void(const sdbus::Error&)> fail, Allowed then);

    // Runs `work` on the pool's worker (`queue`), then, on the bus thread, updates the pool's
    // objects from a fresh read and calls `done` with the work's result.
    template <class T>
    void mutate(const std::string& queue, const Target& target, std::function<engine::Result<T>()> work,
                std::function<void(const engine::Result<T>&)> done);

    // A job following the raid1 volume's sync until it ends; returns its object path.
    std::string start_sync_job(const std::string& pool, const std::string& volume, const char* operation, uid_t uid);
    // A job following the snapshot's merge; when the kernel is done the snapshot is removed and
    // Snapshot.MergeCompleted sent. Returns its object path, or nullopt when a job already
    // follows that merge.
    std::optional<std::string> start_merge_job(const std::string& pool, const std::string& snapshot, uid_t uid);
    // A merge job for every snapshot of the pool's current objects that merges without one.
    void follow_merges(const std::string& pool, uid_t uid);
    // Re-reads, on their workers, the pools that have active snapshots or thin volumes, so
    // UsedSectors, Invalid, the thin pool's usage and mode follow the kernel (a COW or a
    // thin pool fills without any call); then again after an interval.
    void refresh_snapshots();
    // Logs a thin pool's mode change and its crossing of the low-water mark, from the
    // objects' state to `snapshot`'s.
    void log_thin_pool_changes(const PoolSnapshot& snapshot) const;

    engine::Engine& engine_;
    BusLoop& loop_;
    WorkQueues& queues_;
    Authority& authority_;
    ManagerObject* manager_ = nullptr;
    ObjectTree* tree_ = nullptr;
    JobRegistry* jobs_ = nullptr;
    RaidSyncWatches* watches_ = nullptr;
    SnapshotMergeWatches* merges_ = nullptr;
    std::set<std::string> refreshing_;  // pools whose refresh_snapshots read is under way
};

}  // namespace volumes::bus
