#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "volumes/client/errors.hpp"
#include "volumes/client/events.hpp"
#include "volumes/client/objects.hpp"
#include "volumes/client/options.hpp"

namespace volumes::client {

// Snapshot.Merge's answer.
struct SnapshotMergeStart {
    std::string job;  // "/" when pending
    bool pending = false;
};

// ThinPool.ReserveMetadataSnap's answer.
struct MetadataSnap {
    std::uint64_t held_root = 0;
    std::string metadata_device;
    std::uint64_t transaction_id = 0;
};

// Volume.Resize's answer.
struct Resized {
    std::uint64_t size = 0;  // bytes, as made
    std::string filesystem;  // what happened to a filesystem on it, when asked to grow it
};

// One connection to volumesd. Every method is a blocking D-Bus call on the calling
// thread; a Client is not meant to be shared between threads without a lock. Errors are
// thrown (see errors.hpp). Method arguments and options are those of the interface XML
// (installed in /usr/share/dbus-1/interfaces/), whose documentation is the reference.
class Client {
public:
    // The system bus, where volumesd lives (and is started by bus activation).
    static Client system();
    // Another bus, by D-Bus address ("unix:path=/run/test-bus").
    static Client at_address(const std::string& address);

    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    ~Client();

    // How long one method call may take before it fails with BusError (default 5 minutes:
    // polkit may be waiting for the user's password).
    void set_call_timeout(std::chrono::milliseconds timeout);

    // Manager properties.
    std::string version();
    std::map<std::string, std::string> kernel_targets();

    // Lookups, each one GetManagedObjects.
    ObjectList objects();
    std::vector<PoolInfo> pools();
    std::vector<VolumeInfo> volumes();                       // of every pool
    std::vector<VolumeInfo> volumes(std::string_view pool);  // of one pool, by name
    std::vector<JobInfo> jobs();
    std::optional<PoolInfo> find_pool(std::string_view name);
    std::optional<VolumeInfo> find_volume(std::string_view pool, std::string_view name);
    // As the find_ functions, throwing NotFound instead of returning nothing.
    PoolInfo pool(std::string_view name);
    VolumeInfo volume(std::string_view pool, std::string_view name);
    // By object path; NotFound when nothing of that kind is exported there.
    PoolInfo pool_at(const std::string& path);
    VolumeInfo volume_at(const std::string& path);
    JobInfo job_at(const std::string& path);

    // org.example.Volumes.Manager
    std::string create_pool(const std::string& name, const std::vector<std::string>& devices, const Options& options = {});
    // org.example.Volumes.Pool, on the pool's object path
    std::string create_volume(const std::string& pool, const std::string& name, std::uint64_t size,
                              const Options& options = {});
    std::string create_thin_pool(const std::string& pool, const std::string& name, std::uint64_t data_size,
                                 std::uint64_t metadata_size, const Options& options = {});
    void destroy_pool(const std::string& pool, const Options& options = {});
    void add_member(const std::string& pool, const std::string& device, const Options& options = {});
    void remove_member(const std::string& pool, const std::string& device, const Options& options = {});
    // Pool.EvacuateMember: moves every extent off the member (and with `remove` removes it at
    // the end); returns the cancelable Job's path.
    std::string evacuate_member(const std::string& pool, const std::string& device, bool remove,
                                std::optional<std::uint32_t> max_rate_kibs = std::nullopt,
                                const Options& options = {});
    // The pool's default autoextend policy for kind "thin_pool" or "snapshot".
    void set_pool_autoextend(const std::string& pool, const std::string& kind, std::uint32_t threshold,
                             std::uint32_t step, const Options& options = {});
    // org.example.Volumes.Volume, on the volume's object path
    std::string create_snapshot(const std::string& volume, const std::string& name, std::uint64_t cow_size,
                                const Options& options = {});
    void remove_volume(const std::string& volume, const Options& options = {});
    void activate(const std::string& volume, const Options& options = {});
    void deactivate(const std::string& volume, const Options& options = {});
    Resized resize(const std::string& volume, std::uint64_t size, const Options& options = {});
    // Returns the volume's new object path.
    std::string rename(const std::string& volume, const std::string& new_name, const Options& options = {});
    // Volume.ConvertToRaid1 of a linear volume: returns the job that follows the sync of its new
    // image. `members` (the option "members"): device paths or member uuids the new image may
    // go on; empty: any. `region_size` (the option "region_size"): 0 for the default.
    std::string convert_to_raid1(const std::string& volume, const std::vector<std::string>& members = {},
                                 std::uint64_t region_size = 0, const Options& options = {});
    // org.example.Volumes.Raid1
    std::string split_track(const std::string& raid1, const Options& options = {});
    std::string split(const std::string& raid1, const std::string& new_name, const Options& options = {});
    // Raid1.Repair: returns the job that follows the rebuild of the new images. `members` (the
    // option "members"): device paths or member uuids the new images may go on; empty: any.
    std::string repair_raid1(const std::string& raid1, const std::vector<std::string>& members = {},
                             const Options& options = {});
    // Raid1.AddImage: returns the job that follows the sync of the new image; `members` as for
    // repair_raid1. Raid1.RemoveImage: the image at `slot` goes, the later slots move down.
    std::string add_raid1_image(const std::string& raid1, const std::vector<std::string>& members = {},
                                const Options& options = {});
    void remove_raid1_image(const std::string& raid1, std::uint32_t slot, const Options& options = {});
    // org.example.Volumes.TrackedImage: returns the resync job
    std::string merge_tracked_image(const std::string& image, const Options& options = {});
    // org.example.Volumes.Snapshot
    SnapshotMergeStart merge_snapshot(const std::string& snapshot, const Options& options = {});
    // Snapshot.SetAutoextend and ThinPool.SetAutoextend: the option "inherit" (with 0, 0) drops
    // the volume's own policy.
    void set_snapshot_autoextend(const std::string& snapshot, std::uint32_t threshold, std::uint32_t step,
                                 const Options& options = {});
    void set_thin_pool_autoextend(const std::string& thin_pool, std::uint32_t threshold, std::uint32_t step,
                                  const Options& options = {});
    // org.example.Volumes.ThinPool
    std::string create_thin(const std::string& thin_pool, const std::string& name, std::uint64_t virtual_size,
                            const Options& options = {});
    MetadataSnap reserve_metadata_snap(const std::string& thin_pool, const Options& options = {});
    void release_metadata_snap(const std::string& thin_pool, const Options& options = {});
    // 0 keeps that part as it is.
    void resize_thin_pool(const std::string& thin_pool, std::uint64_t data_size, std::uint64_t metadata_size,
                          const Options& options = {});
    // org.example.Volumes.Job
    void cancel_job(const std::string& job, const Options& options = {});

    // Follows the job until its Completed signal (or until its Finished property is true,
    // for a job that ended before the wait began). Throws NotFound when no job is
    // exported at that path, WaitInterrupted on timeout or when stop_requested says so.
    JobResult wait_for_job(const std::string& job, const WaitOptions& options = {});

    // Signal subscriptions; the handlers run inside dispatch_for / dispatch_until /
    // wait_for_job on this thread.
    Subscription on_sync_progress(const std::string& raid1, std::function<void(const SyncProgress&)> handler);
    Subscription on_merge_completed(const std::string& snapshot, std::function<void(const MergeCompleted&)> handler);

    // Processes incoming signals for `duration`.
    void dispatch_for(std::chrono::milliseconds duration);
    // Processes incoming signals until `done` returns true (checked after each batch and
    // at least every 100 ms); false if `timeout` passed first.
    bool dispatch_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

    class Impl;

private:
    explicit Client(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace volumes::client
