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
#include "service/bus/jobs/watch_poller.hpp"
#include "service/bus/jobs/raid_sync_watch.hpp"
#include "service/bus/jobs/snapshot_merge_watch.hpp"
#include "service/bus/objects/manager_object.hpp"
#include "service/bus/objects/method_calls.hpp"
#include "service/bus/objects/object_tree.hpp"
#include "service/bus/requests/pipeline.hpp"
#include "service/bus/work_queues.hpp"
#include "service/engine/engine.hpp"

// The daemon's methods, each declared once for the pipeline (pipeline.hpp), in a file per
// interface (pool_methods.cpp, volume_methods.cpp, raid1_methods.cpp, snapshot_methods.cpp,
// thin_methods.cpp, job_methods.cpp); here the start-up export, the periodic refresh of what
// the kernel changes on its own, and the jobs that follow it.
namespace volumes::bus {

// An active raid1 whose kernel status says it is still syncing: a "raid1-sync" job follows it.
bool needs_sync_job(const VolumeState& volume);

class RequestHandler final : public MethodCalls {
public:
    RequestHandler(engine::Engine& engine, BusLoop& loop, WorkQueues& queues, Authority& authority);
    // Ends the dm event watch: no refresh is posted after it returns.
    ~RequestHandler() override;

    // The objects and jobs this handler updates; set once, before the first call. A raid1
    // array's Health change is logged as the tree shows it (health_log.hpp).
    void attach(ManagerObject& manager, ObjectTree& tree, JobRegistry& jobs, RaidSyncWatches& watches,
                SnapshotMergeWatches& merges);

    // Reads every pool and exports what it found; raid1 volumes still syncing get a
    // "raid1-sync" job, snapshots merging a "snapshot-merge" job. Then keeps the snapshots'
    // COW usage current (refresh_snapshots), and the thin pools' usage and the raid1 arrays'
    // health after each dm event (watch_dm_events). For start-up: it blocks, so call it
    // before the bus loop runs.
    void export_all();

    void create_pool(CallContext call, std::string name, std::vector<std::string> devices,
                     sdbus::Result<sdbus::ObjectPath> result) override;
    void import_pool(CallContext call, std::string pool, sdbus::Result<sdbus::ObjectPath> result) override;
    void create_volume(CallContext call, std::string pool, std::string name, std::uint64_t size,
                       sdbus::Result<sdbus::ObjectPath> result) override;
    void create_thin_pool(CallContext call, std::string pool, std::string name, std::uint64_t data_size,
                          std::uint64_t metadata_size, sdbus::Result<sdbus::ObjectPath> result) override;
    void destroy_pool(CallContext call, std::string pool, sdbus::Result<> result) override;
    void add_member(CallContext call, std::string pool, std::string device, sdbus::Result<> result) override;
    void remove_member(CallContext call, std::string pool, std::string device, sdbus::Result<> result) override;
    void evacuate_member(CallContext call, std::string pool, std::string device,
                         sdbus::Result<sdbus::ObjectPath> result) override;
    void create_snapshot(CallContext call, VolumeRef volume, std::string name, std::uint64_t cow_size,
                         sdbus::Result<sdbus::ObjectPath> result) override;
    void remove_volume(CallContext call, VolumeRef volume, sdbus::Result<> result) override;
    void activate(CallContext call, VolumeRef volume, sdbus::Result<> result) override;
    void deactivate(CallContext call, VolumeRef volume, sdbus::Result<> result) override;
    void resize_volume(CallContext call, VolumeRef volume, std::uint64_t size,
                       sdbus::Result<std::uint64_t, std::string> result) override;
    void rename_volume(CallContext call, VolumeRef volume, std::string new_name,
                       sdbus::Result<sdbus::ObjectPath> result) override;
    void convert_to_raid1(CallContext call, VolumeRef volume, sdbus::Result<sdbus::ObjectPath> result) override;
    void split_track(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result) override;
    void split(CallContext call, VolumeRef array, std::string new_name,
               sdbus::Result<sdbus::ObjectPath> result) override;
    void merge_tracked_image(CallContext call, VolumeRef image, sdbus::Result<sdbus::ObjectPath> result) override;
    void repair_raid1(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result) override;
    void add_raid1_image(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result) override;
    void remove_raid1_image(CallContext call, VolumeRef array, std::uint32_t slot, sdbus::Result<> result) override;
    void merge_snapshot(CallContext call, VolumeRef snapshot, sdbus::Result<sdbus::ObjectPath, bool> result) override;
    void create_thin(CallContext call, VolumeRef thin_pool, std::string name, std::uint64_t virtual_size,
                     sdbus::Result<sdbus::ObjectPath> result) override;
    void reserve_metadata_snap(CallContext call, VolumeRef thin_pool,
                               sdbus::Result<std::uint64_t, std::string, std::uint64_t> result) override;
    void release_metadata_snap(CallContext call, VolumeRef thin_pool, sdbus::Result<> result) override;
    void resize_thin_pool(CallContext call, VolumeRef thin_pool, std::uint64_t data_size, std::uint64_t metadata_size,
                          sdbus::Result<> result) override;
    void cancel_job(CallContext call, std::uint64_t job, sdbus::Result<> result) override;
    // autoextend_methods.cpp
    void set_pool_autoextend(CallContext call, std::string pool, std::string kind, std::uint32_t threshold,
                             std::uint32_t step, sdbus::Result<> result) override;
    void set_volume_autoextend(CallContext call, VolumeRef volume, std::uint32_t threshold, std::uint32_t step,
                               sdbus::Result<> result) override;

private:
    // A job following the raid1 volume's sync until it ends; returns its object path. Its
    // progress counts from `from_sectors`, where md's resync starts (a grown array's old size).
    std::string start_sync_job(const std::string& pool, const std::string& volume, const char* operation, uid_t uid,
                               std::uint64_t from_sectors = 0);
    // Whether the committed model marks a leg of the raid1 volume rebuilding (Raid1.Repair).
    bool rebuilding(const std::string& pool, const std::string& volume) const;
    void end_sync_job(std::uint64_t id, const std::string& pool, const std::string& volume,
                      const std::string& operation, bool success, const std::string& message);
    // A job following the snapshot's merge; when the kernel is done the snapshot is removed and
    // Snapshot.MergeCompleted sent. Returns its object path, or nullopt when a job already
    // follows that merge.
    std::optional<std::string> start_merge_job(const std::string& pool, const std::string& snapshot, uid_t uid);
    // A merge job for every snapshot of the pool's current objects that merges without one.
    void follow_merges(const std::string& pool, uid_t uid);
    // Re-reads, on their workers, the pools that have active snapshots or thin volumes, so
    // UsedSectors, Invalid, the thin pool's usage and mode follow the kernel (a COW or a
    // thin pool fills without any call); then again after an interval. Before each read the
    // pool's thin pools and snapshots past their autoextend threshold grow (Engine::autoextend).
    void refresh_snapshots();
    // The read and autoextend of refresh_snapshots for each pool `which` selects, once: a pool
    // already being read is read again when that read ends (a dm event may have come after the
    // kernel was read).
    void refresh_pools(const std::function<bool(const VolumeState&)>& which, bool again_if_busy);
    // Refreshes the pools with active thin pools or raid1 arrays soon after any dm event: a thin
    // pool raises one when its free data blocks drop to its low water, which follows its
    // autoextend threshold (engine::follow_autoextend_low_water), so it grows without waiting
    // for the next poll; dm-raid raises one when a leg fails or a sync ends, so Raid1.Images
    // and Health follow without a job or a call.
    void watch_dm_events();
    // Every few seconds, re-adds on their workers the failed members of each pool whose disks
    // answer again (Engine::readd_answering_members), and shows the pool as it then is: a
    // transient failure heals by itself, without a call or a restart.
    void readd_answering_members();
    // Logs what autoextend grew (info) and, once per crossing, what could not grow (warning and
    // Pool.SpaceWarning); a failed autoextend transaction once per distinct message.
    void report_autoextend(const std::string& pool, const engine::Result<engine::Engine::AutoextendReport>& report);
    // Logs a thin pool's mode change and its crossing of the low-water mark, from the
    // objects' state to `snapshot`'s.
    void log_thin_pool_changes(const PoolSnapshot& snapshot) const;

    // ---- Extent moves (extent_move_methods.cpp)
    // A cancelable job following the pool's extent move until the copies are in sync, then
    // finishing it (Engine::finish_extent_move) on the pool's worker; its object path.
    // `waiter`: a Pool.RemoveMember call answered when the job ends (Cancelled when cancelled).
    std::string start_move_job(const std::string& pool, uid_t uid, SharedReply<> waiter = nullptr);
    void sample_move(std::uint64_t id, const std::string& pool);
    void end_move_job(std::uint64_t id, const std::string& pool, bool success, const std::string& message,
                      engine::ErrorCode failure = engine::ErrorCode::Failed);
    // Job.Cancel of a move job: the move is dropped on the pool's worker, then `done` is told
    // whether it was (an error when the move had ended first).
    void cancel_move_job(std::uint64_t id, std::function<void(engine::Result<void>)> done);
    // The move jobs that have not ended, by id, with their pool.
    std::map<std::uint64_t, std::string> move_jobs_;
    std::map<std::uint64_t, SharedReply<>> move_waiters_;  // of those, the RemoveMember calls waiting
    // ---- end of extent moves

    engine::Engine& engine_;
    BusLoop& loop_;
    WorkQueues& queues_;
    Pipeline pipeline_;
    ManagerObject* manager_ = nullptr;
    ObjectTree* tree_ = nullptr;
    JobRegistry* jobs_ = nullptr;
    RaidSyncWatches* watches_ = nullptr;
    SnapshotMergeWatches* merges_ = nullptr;
    std::set<std::string> refreshing_;  // pools whose refresh_snapshots read is under way
    std::set<std::string> refresh_again_;  // of those, the ones a dm event came for meanwhile
    std::set<std::string> readding_;       // pools whose readd_answering_members is under way
    std::shared_ptr<WatchPoller> poller_;  // of the dm event watch, once export_all started it
    // Per pool: the shortfalls already warned about ("<volume>\n<part>"), and the last autoextend
    // failure logged.
    std::map<std::string, std::set<std::string>> space_warnings_;
    std::map<std::string, std::string> autoextend_failures_;
};

}  // namespace volumes::bus
