#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kmod/kernel_targets.hpp"
#include "service/executor/udev_reaper.hpp"
#include "service/planner/plan.hpp"
#include "service/engine/autoextend_changes.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/extent_move.hpp"
#include "service/engine/managed_pool.hpp"
#include "service/engine/pool_creation.hpp"
#include "service/engine/raid1_images.hpp"
#include "service/engine/raid1_conversion.hpp"
#include "service/engine/raid1_repair.hpp"
#include "service/engine/shared_targets.hpp"
#include "service/engine/resize_changes.hpp"
#include "service/engine/kernel_thin_status.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/thin_changes.hpp"
#include "service/engine/summaries.hpp"
#include "service/engine/volume_changes.hpp"
#include "service/engine/volume_status.hpp"
#include "service/devices/member_scan.hpp"

// The engine: every pool and volume operation, without D-Bus. Pools and volumes are named by
// their names. Each mutation of a pool is one transaction and runs under the pool's lock.
namespace volumes::engine {

// What start-up brings up. Every pool is assembled and listed either way.
struct StartOptions {
    // Only the owned pool of this name is reconciled and activated (its pending merges started);
    // the others stay as the kernel has them. For the initramfs, which needs just the root's pool.
    std::optional<std::string> only_pool;
};

class Engine {
public:
    // Loads dm_mod, scans block devices for pool members, assembles their pools and reconciles
    // each complete pool's dm devices with its committed metadata (start-up reconciliation).
    // What it could not do for one pool is in that pool's problems, not a failure.
    // Devices and pools are each read inside their own error boundary; a pool that cannot be
    // assembled, a device that was refused, and a pool another host owns are reported (problems()
    // and the pools' own problems), never a failure of start().
    static Result<std::unique_ptr<Engine>> start(const StartOptions& options = {});

    // What start-up could not use: devices with unreadable labels, members seen twice in a stack,
    // pools that could not be assembled (with their devices and why), foreign pools that could
    // not be listed under their name, and a missing machine-id.
    std::vector<std::string> problems() const;

    // Makes a foreign pool (another host's, or one naming no owner) this machine's: its document
    // is rewritten with this host as owner on every present member, then the pool is assembled
    // and activated as at start-up. `pool` is its name or its uuid. NotFound: no such foreign
    // pool, or (without `force`) a member is missing; InUse (without `force`): a member device
    // is held by another device (the pool is active elsewhere on this machine);
    // InvalidArgument: the pool is this machine's already.
    Result<PoolSummary> import_pool(std::string_view pool, bool force);

    Result<PoolSummary> create_pool(const std::string& name, const std::vector<std::string>& devices,
                                    const CreatePoolOptions& options = {});
    // The device becomes a member of the pool (prepare_new_member: CreatePool's admission, with
    // `force` as there), listed by a transaction whose document every member, the new one
    // included, commits; its extents are free at once. Busy while the pool is incomplete. A
    // failure before the commit erases the label it wrote.
    Result<PoolSummary> add_member(std::string_view pool, const std::string& device, bool force = false);
    // The member (a device path or a member uuid) leaves the pool: a transaction whose document
    // the other members commit, then its label is erased. Refused (member_removal.hpp) while a
    // volume has extents on it, for the last member, and (Busy) while the pool is incomplete.
    Result<PoolSummary> remove_member(std::string_view pool, const std::string& device);

    // Whether the pool's devices differ from its committed metadata after a failed transaction
    // (or a failed reconciliation at start-up), and heal() should reconcile them.
    bool needs_healing(std::string_view pool) const;
    // Reconciles such a pool as start-up does; success once the kernel agrees (at once when
    // it already did). The pool's problems name the disagreement until then.
    Result<void> heal(std::string_view pool);

    // Erases the labels and metadata areas of every member, so the devices are free again.
    // Refused (InUse) while the pool has volumes, (Busy) while it is incomplete, and while a dm
    // device of the pool is still in the kernel (InUse if it is open, Busy otherwise). A failure
    // half-way leaves the pool incomplete: the members already erased are free, the others keep
    // the label, and a fresh start assembles them as an incomplete pool missing the erased ones.
    // With `force` an incomplete pool is destroyed too: the members that are here are freed.
    Result<void> destroy_pool(std::string_view name, bool force = false);
    std::vector<PoolSummary> pools() const;
    Result<PoolSummary> pool(std::string_view name) const;
    Result<std::vector<VolumeSummary>> volumes(std::string_view pool) const;
    Result<VolumeSummary> volume(std::string_view pool, std::string_view volume) const;
    // The committed model, for callers that show details the summaries leave out.
    Result<model::Pool> model(std::string_view pool) const;
    // The pool's volumes that cannot run on the members at hand, by name, with why.
    Result<UnavailableVolumes> unavailable(std::string_view pool) const;
    // Whether the pool has a member marked failed whose device volumesd still holds (one that
    // may answer again); false for no such pool.
    bool has_failed_present_members(std::string_view pool) const;
    // Re-adds, while volumesd runs, the pool's failed members whose disks answer again
    // (member_return.hpp, answers_again): their mark goes in one commit that writes them again,
    // and their raid1 legs rejoin their arrays, resyncing what the bitmaps marked. Returns the
    // members re-added; empty when none answers (nothing is committed then).
    Result<std::vector<model::Uuid>> readd_answering_members(std::string_view pool);
    // The seq of the pool's last commit; nullopt when there is no such pool.
    std::optional<std::uint64_t> committed_seq(std::string_view pool) const;
    // The volumes (by name) whose shown state the pool's commits after `seq` can have changed,
    // when that was exactly one transaction planned over its scope; nullopt otherwise (any
    // volume may have changed).
    std::optional<std::set<std::string>> touched_since(std::string_view pool, std::uint64_t seq) const;
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
    // origin or the snapshot open (also when the origin was active already). The pool's failed
    // members that are present are re-added by the same change (member_return.hpp). Failed,
    // with nothing changed, for a volume that cannot run on the members at hand.
    Result<void> activate(std::string_view pool, std::string_view volume);
    Result<void> deactivate(std::string_view pool, std::string_view volume);

    // engine::rename_volume: every dm device of the volume is renamed in place (it stays
    // active and mounted). Busy also while a raid1 volume is not in sync.
    Result<VolumeSummary> rename_volume(std::string_view pool, std::string_view volume, const std::string& new_name);

    struct Resized {
        VolumeSummary volume;    // at the size made (rounded up, engine::rounded_size)
        std::string filesystem;  // what happened to a filesystem on it, in words, when asked to grow it
        std::uint64_t previous_size = 0;  // before the resize
        // Set for an active raid1 that grew: md resyncs its new region, from this sector (the
        // old size) to the end, and a job may follow it.
        std::optional<std::uint64_t> resync_from_sector;
    };
    // engine::resize_volume in one transaction (the kernel sees the new size when the volume's
    // tables reload). A shrink is refused (InUse) unless the volume is active and carries no
    // signature at all, since a filesystem's end cannot be told from its signature here. With
    // resize_filesystem, a mounted ext4 or xfs is grown to the new size online afterwards; any
    // other filesystem, or none mounted, is left alone and `filesystem` says so. Failed, naming
    // both, when the volume grew and its filesystem could not. Busy for an active raid1 that
    // is not in sync.
    Result<Resized> resize_volume(std::string_view pool, std::string_view volume, const ResizeRequest& request);
    // A thin pool's data (engine::resize_volume) and metadata (engine::resize_thin_pool_metadata),
    // in one transaction; a size of 0 keeps that part as it is.
    Result<VolumeSummary> resize_thin_pool(std::string_view pool, std::string_view thin_pool, std::uint64_t data_size,
                                           std::uint64_t metadata_size);

    // Only from an in-sync array (its raid status says so). Returns the image volume.
    Result<VolumeSummary> split_track(std::string_view pool, std::string_view array, const SplitTrackRequest& request);
    // The array's tracked image becomes linear volume `new_name` for good; see
    // engine::split_image (volume_changes.hpp). InUse while the image's device is open.
    Result<VolumeSummary> split_image(std::string_view pool, std::string_view array, std::string_view new_name);
    // Puts the image back; the resync of the changed regions then runs in the kernel.
    Result<void> merge_tracked_image(std::string_view pool, std::string_view image);

    // Every image of the array on a failed or missing member gets new extents on a member that
    // holds no other image of it (engine::repair_raid1, raid1_repair.hpp: the members
    // `request` allows, or any with room), in one transaction: the new legs' rmeta extents are
    // zeroed first, and the array loads them with "rebuild <slot>", so md copies them in full.
    // The old legs' extents are free once it commits. Returns the slots given new images.
    Result<std::vector<std::uint32_t>> repair_raid1(std::string_view pool, std::string_view array,
                                                    const RepairRequest& request);
    // Once the kernel shows the array idle and in sync, one transaction drops the rebuilding
    // mark of each leg it shows alive, so the array is reloaded without "rebuild" (a reload
    // keeping it would copy the whole leg again). Returns whether a mark went: false when none
    // is set or the array is not in sync yet. Start-up does the same for every array.
    Result<bool> finish_raid1_rebuild(std::string_view pool, std::string_view array);

    // Raid1.AddImage: a new image as the array's next slot (engine::add_raid1_image), its rmeta
    // zeroed first, loaded with "rebuild <slot>" until finish_raid1_rebuild. Returns its slot.
    Result<std::uint32_t> add_raid1_image(std::string_view pool, std::string_view array,
                                          const AddImageRequest& request);
    // Raid1.RemoveImage: the array without its image at `slot` (engine::remove_raid1_image,
    // given the kernel's view of an active array); its extents are free once it commits.
    Result<void> remove_raid1_image(std::string_view pool, std::string_view array, std::uint32_t slot);
    // The linear volume becomes a two-image raid1 in place (engine::convert_to_raid1,
    // raid1_conversion.hpp), in one transaction: both rmeta extents are zeroed first, the
    // image devices are created, and the visible device (same dm name and uuid) is reloaded
    // from linear to raid1 while it stays open, with "rebuild 1" until finish_raid1_rebuild.
    Result<VolumeSummary> convert_to_raid1(std::string_view pool, std::string_view volume,
                                           const ConvertToRaid1Request& request);

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

    // A thin pool over new tmeta and tdata sub-volumes (engine::add_thin_pool); the metadata's
    // superblock is zeroed first so dm-thin formats it.
    Result<VolumeSummary> create_thin_pool(std::string_view pool, const ThinPoolRequest& request);
    // A thin volume in an active thin pool (engine::add_thin): its create_thin and the next
    // transaction id go to the pool with the precommitted metadata. Busy while the thin pool is
    // inactive; Failed when the pool's transaction id is not the committed one.
    Result<VolumeSummary> create_thin(std::string_view pool, std::string_view thin_pool, const std::string& name,
                                      std::uint64_t virtual_size);
    // A thin snapshot (engine::add_thin_snapshot): create_snap goes to the pool while the
    // origin's device, if active, is suspended with its filesystem frozen.
    Result<VolumeSummary> create_thin_snapshot(std::string_view pool, std::string_view origin, const std::string& name);

    struct MetadataSnapHold {
        std::uint64_t held_root = 0;
        std::string metadata_device;  // the thin pool's metadata sub-volume, for thin_dump -m
        std::uint64_t transaction_id = 0;
    };
    // reserve_metadata_snap on an active thin pool. Busy while one is held (release it first).
    Result<MetadataSnapHold> reserve_metadata_snap(std::string_view pool, std::string_view thin_pool);
    // NotFound when none is held.
    Result<void> release_metadata_snap(std::string_view pool, std::string_view thin_pool);
    // The kernel's view of a thin pool and of a thin volume; nullopt while inactive. Never wait
    // for a mutation.
    Result<std::optional<ThinPoolUsage>> thin_pool_usage(std::string_view pool, std::string_view thin_pool) const;
    Result<std::optional<std::uint64_t>> thin_mapped_sectors(std::string_view pool, std::string_view thin) const;

    // ---- Autoextend (engine_autoextend.cpp, decided by autoextend_changes.hpp)
    struct AutoextendReport {
        std::vector<AutoextendGrowth> grown;
        std::vector<AutoextendShortfall> shortfalls;
    };
    // Reads the usage of the pool's active thin pools (data and metadata, in mode "rw" or
    // "out_of_data_space" without needs_check) and valid CoW snapshots from the kernel, and
    // grows what crossed its threshold (engine::plan_autoextend) in one transaction; none when
    // nothing grows. Busy/NotSupported as any change (an incomplete or foreign pool).
    Result<AutoextendReport> autoextend(std::string_view pool);
    // The pool's default policy for its thin pools (`snapshots` false) or CoW snapshots, and a
    // thin pool's or snapshot's own (nullopt: the pool's again); each one metadata transaction.
    Result<void> set_pool_autoextend(std::string_view pool, bool snapshots, const model::AutoextendPolicy& policy);
    Result<void> set_volume_autoextend(std::string_view pool, std::string_view volume,
                                       const std::optional<model::AutoextendPolicy>& policy);
    // ---- end of autoextend

    // ---- Extent moves (engine_extent_move.cpp, decided by extent_move.hpp)
    // Starts moving every extent off the member (a device path or a member uuid) in one
    // transaction (engine::start_extent_move): the kernel then copies each run to its
    // destination through a temporary raid1.
    Result<void> start_extent_move(std::string_view pool, const std::string& device, const ExtentMoveRequest& request);
    // How far the copies are, read from the kernel; `moving` false when no move is under way.
    // Failed when a copy lost a leg. Never waits for a mutation.
    Result<ExtentMoveProgress> extent_move_progress(std::string_view pool) const;
    // Once every copy is in sync: one transaction puts the destinations in the volumes' maps
    // (their tables reload onto them, the temporary devices go), then, if the move was asked
    // to, the member leaves the pool as remove_member does. Copying before (nothing done, or
    // the copies started when a crash had come between the move's two commits).
    // NotFound when no move is under way.
    Result<ExtentMoveEnd> finish_extent_move(std::string_view pool);
    // One transaction drops the move: the tables reload onto the runs as they were, the
    // temporary devices go, the destinations are free. InvalidArgument when none is under way.
    Result<void> cancel_extent_move(std::string_view pool);
    // ---- end of extent moves

private:
    explicit Engine(kmod::KernelTargets targets) : targets_(std::move(targets)) {}

    // A pool destroyed meanwhile stays alive for whoever still holds it, marked destroyed.
    std::shared_ptr<ManagedPool> find(std::string_view name) const;
    // assemble_pool inside an error boundary; the error names the pool's uuid and devices.
    Result<std::unique_ptr<ManagedPool>> assemble(const devices::FoundPool& found) const;
    // Reconciles an owned pool's devices with its committed metadata and starts its pending
    // merges; what fails goes to the pool's problems.
    void bring_up(ManagedPool& pool);
    // Re-adds the pool's failed members that are present again (member_return.hpp), logging
    // what came of it under `operation`.
    void readd_members(ManagedPool& pool, const char* operation);
    // Commits `next`, in which `returned` lost their failed mark; the members written again
    // (those still failing are marked failed again by the same commit). Logs under `operation`.
    std::vector<model::Uuid> commit_readd(ManagedPool& pool, const model::Pool& next,
                                          const std::vector<model::Uuid>& returned, const char* operation);
    // finish_raid1_rebuild for each of the pool's arrays that has a leg marked rebuilding,
    // logging what came of it under `operation`.
    void finish_rebuilds(ManagedPool& pool, const char* operation);
    struct LockedPool {
        std::shared_ptr<ManagedPool> pool;
        std::unique_lock<std::mutex> guard;
    };
    // The pool under one of its locks; NotFound when there is none by that name, or it was
    // destroyed while this waited for the lock.
    Result<LockedPool> hold_pool(std::string_view name, std::mutex ManagedPool::*which) const;
    // The pool under its lock (hold_pool).
    Result<LockedPool> lock_pool(std::string_view name) const;
    // The pool under its view lock, which a change holds only while it swaps its new state in:
    // reads never wait for a change in progress (hold_pool).
    Result<LockedPool> view_pool(std::string_view name) const;
    // lock_pool, and NotSupported for a foreign pool: every change goes through here.
    Result<LockedPool> lock_owned_pool(std::string_view name) const;
    // Decides the next model with `change`, runs `prepare` on it (writes to free extents the
    // transaction needs done first), then applies it in one transaction.
    template <class Change, class Prepare>
    Result<void> change(std::string_view pool_name, Change&& change, Prepare&& prepare);
    template <class Change>
    Result<void> change(std::string_view pool_name, Change&& change);
    // A change that also sends thin-pool messages (thin_changes.hpp): `decide` returns the
    // ThinChange and the volume to keep suspended while the messages go, if any.
    using ThinDecision = std::pair<ThinChange, std::optional<model::Uuid>>;
    Result<void> change_thin(std::string_view pool_name,
                             const std::function<Result<ThinDecision>(const model::Pool&)>& decide);
    // The dm uuid of a volume, read under the view lock only (the *_usage readers).
    Result<std::string> volume_dm_uuid(std::string_view pool, std::string_view volume) const;

    // Declared first of the kernel's state so it is the last to go: it waits for every udev
    // event the transactions left to it.
    executor::UdevReaper udev_reaper_;
    SharedTargets targets_;
    mutable std::mutex pools_lock_;
    std::vector<std::shared_ptr<ManagedPool>> pools_;
    std::string host_;                    // this machine-id; empty when there is none
    std::vector<std::string> problems_;  // under pools_lock_
};

}  // namespace volumes::engine
