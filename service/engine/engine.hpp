#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kmod/kernel_targets.hpp"
#include "service/planner/plan.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"
#include "service/engine/pool_creation.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/summaries.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/engine/volume_status.hpp"

// The engine: every pool and volume operation, without D-Bus. Pools and volumes are named by
// their names. Each mutation of a pool is one transaction and runs under the pool's lock.
namespace volumes::engine {

class Engine {
public:
    // Loads dm_mod, scans block devices for pool members, assembles their pools and reconciles
    // each complete pool's dm devices with its committed metadata (start-up reconciliation).
    // What it could not do for one pool is in that pool's problems, not a failure.
    static Result<std::unique_ptr<Engine>> start();

    Result<PoolSummary> create_pool(const std::string& name, const std::vector<std::string>& devices,
                                    const CreatePoolOptions& options = {});
    // Erases the labels and metadata areas of every member, so the devices are free again.
    // Refused (InUse) while the pool has volumes, (Busy) while it is incomplete, and while a dm
    // device of the pool is still in the kernel (InUse if it is open, Busy otherwise). A failure
    // half-way leaves the pool incomplete: the members already erased are free, the others keep
    // the label, and a fresh start assembles them as an incomplete pool missing the erased ones.
    Result<void> destroy_pool(std::string_view name);
    std::vector<PoolSummary> pools() const;
    Result<PoolSummary> pool(std::string_view name) const;
    Result<std::vector<VolumeSummary>> volumes(std::string_view pool) const;
    Result<VolumeSummary> volume(std::string_view pool, std::string_view volume) const;
    // The committed model, for callers that show details the summaries leave out.
    Result<model::Pool> model(std::string_view pool) const;
    // What reconciliation would do to the pool's dm devices now: only CommitMetadata when
    // the live tables are exactly those the committed metadata describes.
    Result<planner::Plan> reconciliation_plan(std::string_view pool) const;
    // The kernel's view of a visible volume (dm info and, for raid1, its status). Never waits for
    // a running mutation: it copies the volume's dm uuid under the pool's view lock, held only
    // for that, then reads the kernel.
    Result<VolumeStatus> volume_status(std::string_view pool, std::string_view volume) const;
    // The dm targets the engine uses that the kernel has loaded, name to "major.minor.patch".
    std::map<std::string, std::string> kernel_targets();

    Result<VolumeSummary> create_linear_volume(std::string_view pool, const LinearRequest& request);
    Result<VolumeSummary> create_raid1_volume(std::string_view pool, const Raid1Request& request);
    Result<void> remove_volume(std::string_view pool, std::string_view volume);
    // Activating an origin with a pending merge also starts that merge when nothing holds the
    // origin or the snapshot open (also when the origin was active already).
    Result<void> activate(std::string_view pool, std::string_view volume);
    Result<void> deactivate(std::string_view pool, std::string_view volume);

    // Only from an in-sync array (its raid status says so). Returns the image volume.
    Result<VolumeSummary> split_track(std::string_view pool, std::string_view array, const SplitTrackRequest& request);
    // The array's tracked image becomes linear volume `new_name` for good; see
    // engine::split_image (volume_changes.hpp). InUse while the image's device is open.
    Result<VolumeSummary> split_image(std::string_view pool, std::string_view array, std::string_view new_name);
    // Puts the image back; the resync of the changed regions then runs in the kernel.
    Result<void> merge_tracked_image(std::string_view pool, std::string_view image);

    // A CoW snapshot of a linear or raid1 volume; see engine::add_snapshot. Its COW's header is
    // zeroed first, and the origin is frozen (lockfs) while the snapshot goes live.
    Result<VolumeSummary> create_snapshot(std::string_view pool, std::string_view origin,
                                          const SnapshotRequest& request);
    enum class MergeStart { Started, Pending };
    // Starts merging the snapshot into its origin (snapshot-merge, kernel-targets.md §2.4), or
    // records the merge as pending while the origin or the snapshot is open or the origin is
    // inactive. NotSupported for an invalid snapshot; Busy when a merge into the origin is
    // already running or pending.
    Result<MergeStart> merge_snapshot(std::string_view pool, std::string_view snapshot);
    // The COW usage of a snapshot from the kernel: its own device's, or while it merges, its
    // origin's snapshot-merge. nullopt when it has no such device. Never waits for a mutation.
    Result<std::optional<SnapshotUsage>> snapshot_usage(std::string_view pool, std::string_view snapshot) const;
    // Once the kernel reports the merge finished, the snapshot and its COW go and the origin
    // returns to its plain stack. Busy while chunks are still being merged back.
    Result<void> finish_snapshot_merge(std::string_view pool, std::string_view snapshot);

private:
    explicit Engine(kmod::KernelTargets targets) : targets_(std::move(targets)) {}

    // A pool destroyed meanwhile stays alive for whoever still holds it, marked destroyed.
    std::shared_ptr<ManagedPool> find(std::string_view name) const;
    struct LockedPool {
        std::shared_ptr<ManagedPool> pool;
        std::unique_lock<std::mutex> guard;
    };
    // The pool under its lock; NotFound when there is none by that name, or it was destroyed
    // while this waited for the lock.
    Result<LockedPool> lock_pool(std::string_view name) const;
    // Decides the next model with `change`, runs `prepare` on it (writes to free extents the
    // transaction needs done first), then applies it in one transaction.
    template <class Change, class Prepare>
    Result<void> change(std::string_view pool_name, Change&& change, Prepare&& prepare);
    template <class Change>
    Result<void> change(std::string_view pool_name, Change&& change);

    std::mutex targets_lock_;
    kmod::KernelTargets targets_;
    mutable std::mutex pools_lock_;
    std::vector<std::shared_ptr<ManagedPool>> pools_;
};

}  // namespace volumes::engine
