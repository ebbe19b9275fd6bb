#include "service/engine/engine.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/core.h>

#include "service/devices/member_scan.hpp"
#include "service/devices/udev_settle.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/engine_change.hpp"
#include "service/engine/error_translation.hpp"
#include "service/engine/extent_zeroing.hpp"
#include "service/engine/host_identity.hpp"
#include "service/executor/live_state_reader.hpp"
#include "service/engine/kernel_volume_status.hpp"
#include "service/engine/member_return.hpp"
#include "service/engine/pool_assembly.hpp"
#include "service/engine/pool_destruction.hpp"
#include "service/engine/pool_transaction.hpp"
#include "service/engine/raid_superblocks.hpp"
#include "service/engine/snapshot_merges.hpp"
#include "service/engine/used_targets.hpp"
#include "service/graph/member_availability.hpp"
#include "service/logging/log.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

namespace {

constexpr std::chrono::milliseconds udev_settle_timeout{5000};

Result<model::Uuid> new_uuid()
{
    auto uuid = model::Uuid::generate();
    if (!uuid)
        return std::unexpected(from_metadata(uuid.error()));
    return *uuid;
}


bool has_live_devices(const ManagedPool& pool)
{
    auto live = executor::read_live_state(model::dm_uuid_prefix(pool.pool.uuid));
    return live && !live->devices.empty();
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::start(const StartOptions& options)
{
    auto targets = kmod::KernelTargets::open();
    if (!targets)
        return std::unexpected(from_kmod(targets.error()));
    std::unique_ptr<Engine> engine(new Engine(std::move(*targets)));
    if (auto host = this_host())
        engine->host_ = std::move(*host);
    else
        engine->problems_.push_back(host.error().message);
    // A daemon killed in a transaction leaves udev events behind (the executor waits for udev
    // last): member scans read udev's database, and a device that a dead transaction resumed
    // may have no /dev/mapper node yet, or be held open by a probe. Seen on Linux 6.1 in the
    // guest tests: after a kill at "removed", /dev/mapper/<volume> was missing right after
    // start-up ("No such file or directory").
    devices::wait_for_udev_to_settle(udev_settle_timeout);
    auto scanned = devices::scan_members();
    if (!scanned)
        return std::unexpected(from_devices(scanned.error()));
    for (auto& skipped : scanned->skipped)
        engine->problems_.push_back("device " + skipped);
    for (auto& duplicate : scanned->duplicates)
        engine->problems_.push_back(duplicate);

    std::vector<std::unique_ptr<ManagedPool>> assembled;
    for (const auto& found : devices::group_by_pool(std::move(scanned->members))) {
        auto pool = engine->assemble(found);
        if (!pool) {
            engine->problems_.push_back(pool.error().message);
            continue;
        }
        assembled.push_back(std::move(*pool));
    }
    // Owned pools first: a foreign pool never takes an owned one's name.
    std::stable_partition(assembled.begin(), assembled.end(), [](const auto& pool) { return pool->owned(); });
    std::map<std::string, int> owned_names;
    for (const auto& pool : assembled)
        if (pool->owned())
            ++owned_names[pool->pool.name];
    for (auto& pool : assembled) {
        // A machine-id is no secret, so a crafted disk can claim to be this machine's: of two
        // owned pools of one name, only one already live in the kernel keeps it, else neither.
        if (pool->owned() && owned_names[pool->pool.name] > 1 && !has_live_devices(*pool)) {
            engine->problems_.push_back(fmt::format(
                "pool {} ('{}') is not listed: another pool of this machine has that name and neither is active; "
                "detach the disks of the one that does not belong",
                pool->pool.uuid.to_string(), pool->pool.name));
            continue;
        }
        if (engine->find(pool->pool.name)) {
            engine->problems_.push_back(fmt::format(
                "pool {} ('{}', {}) is not listed: a pool of that name is already there", pool->pool.uuid.to_string(),
                pool->pool.name, pool->foreign));
            continue;
        }
        if (pool->owned() && (!options.only_pool || *options.only_pool == pool->pool.name))
            engine->bring_up(*pool);
        engine->pools_.push_back(std::move(pool));
    }
    return engine;
}

Result<std::unique_ptr<ManagedPool>> Engine::assemble(const devices::FoundPool& found) const
{
    std::string paths;
    for (const auto& member : found.members)
        paths += (paths.empty() ? "" : ", ") + member.path;
    try {
        auto pool = assemble_pool(found, host_);
        if (pool)
            return pool;
        return fail(pool.error().code, fmt::format("pool {} on {} was not assembled: {}", found.pool_uuid.to_string(),
                                                   paths, pool.error().message));
    } catch (const std::exception& error) {
        return fail(ErrorCode::Failed, fmt::format("pool {} on {} was not assembled: {}", found.pool_uuid.to_string(),
                                                   paths, error.what()));
    }
}

void Engine::bring_up(ManagedPool& pool)
{
    try {
        auto reconciled = reconcile_pool(pool, targets_, udev_reaper_);
        if (!reconciled) {
            std::lock_guard view(pool.view_lock);
            pool.unhealed = fmt::format("reconciling its devices at start-up failed ({}); healing",
                                        reconciled.error().message);
        } else {
            readd_members(pool, "start");
            finish_rebuilds(pool, "start");
            if (auto merges = start_pending_merges(pool, targets_, udev_reaper_); !merges) {
                std::lock_guard view(pool.view_lock);
                pool.problems.push_back("starting its pending snapshot merges: " + merges.error().message);
            }
        }
    } catch (const std::exception& error) {
        std::lock_guard view(pool.view_lock);
        pool.problems.push_back(fmt::format("reconciling its devices: {}", error.what()));
    }
}

void Engine::readd_members(ManagedPool& pool, const char* operation)
{
    auto next = pool.pool;
    const auto returned = readd_returned(pool, next);
    commit_readd(pool, next, returned, operation);
}

std::vector<model::Uuid> Engine::commit_readd(ManagedPool& pool, const model::Pool& next,
                                              const std::vector<model::Uuid>& returned, const char* operation)
{
    if (returned.empty())
        return {};
    std::string names;
    for (const auto& uuid : returned)
        names += (names.empty() ? "" : ", ") + uuid.to_string();
    if (auto applied = apply_pool_change(pool, next, targets_, udev_reaper_); !applied) {
        logging::warning({pool.pool.name, {}, operation}, "re-adding member(s) {} failed: {}", names,
                         applied.error().message);
        return {};
    }
    std::vector<model::Uuid> readded;
    for (const auto& uuid : returned) {
        const auto* member = model::find_member(pool.pool, uuid);
        if (member && member->failed) {
            logging::warning({pool.pool.name, {}, operation}, "member {} is back but still cannot be written",
                             uuid.to_string());
            continue;
        }
        logging::notice({pool.pool.name, {}, operation},
                        "member {} is back and re-added; its raid1 legs resync what changed meanwhile",
                        uuid.to_string());
        pool.failed_readds.erase(uuid);
        readded.push_back(uuid);
    }
    return readded;
}

bool Engine::has_failed_present_members(std::string_view name) const
{
    auto pool = find(name);
    if (!pool)
        return false;
    std::lock_guard view(pool->view_lock);
    return !pool->returned(pool->pool).empty();
}

Result<std::vector<model::Uuid>> Engine::readd_answering_members(std::string_view name)
{
    auto locked = lock_owned_pool(name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    auto next = managed.pool;
    const auto answering = readd_answering(managed, next);
    auto readded = commit_readd(managed, next, answering, "re-add");
    for (const auto& uuid : answering) {
        if (std::find(readded.begin(), readded.end(), uuid) != readded.end())
            continue;
        if (++managed.failed_readds[uuid] == max_failed_readds)
            logging::warning({managed.pool.name, {}, "re-add"},
                             "member {} answers reads but could not be written {} times in a row: only a start of "
                             "volumesd or an Activate in its pool tries to re-add it again",
                             uuid.to_string(), max_failed_readds);
    }
    return readded;
}

bool Engine::needs_healing(std::string_view name) const
{
    auto pool = find(name);
    if (!pool)
        return false;
    std::lock_guard view(pool->view_lock);
    return !pool->unhealed.empty();
}

Result<void> Engine::heal(std::string_view name)
{
    auto locked = lock_owned_pool(name);
    if (!locked)
        return std::unexpected(locked.error());
    if (locked->pool->unhealed.empty())
        return {};
    return heal_pool(*locked->pool, targets_, udev_reaper_);
}

std::vector<std::string> Engine::problems() const
{
    std::lock_guard guard(pools_lock_);
    return problems_;
}

std::shared_ptr<ManagedPool> Engine::find(std::string_view name) const
{
    std::lock_guard guard(pools_lock_);
    for (const auto& pool : pools_) {
        std::lock_guard view(pool->view_lock);
        if (pool->pool.name == name)
            return pool;
    }
    return nullptr;
}

Result<Engine::LockedPool> Engine::hold_pool(std::string_view name, std::mutex ManagedPool::*which) const
{
    auto pool = find(name);
    if (pool) {
        std::unique_lock guard((*pool).*which);
        if (!pool->destroyed)
            return LockedPool{std::move(pool), std::move(guard)};
    }
    return fail(ErrorCode::NotFound, fmt::format("no pool named '{}'", name));
}

Result<Engine::LockedPool> Engine::lock_pool(std::string_view name) const
{
    return hold_pool(name, &ManagedPool::lock);
}

Result<Engine::LockedPool> Engine::view_pool(std::string_view name) const
{
    return hold_pool(name, &ManagedPool::view_lock);
}

Result<Engine::LockedPool> Engine::lock_owned_pool(std::string_view name) const
{
    auto locked = lock_pool(name);
    if (locked && !locked->pool->owned())
        return fail(ErrorCode::NotSupported,
                    fmt::format("pool '{}' is foreign: {}; nothing of it is activated or written until it is "
                                "imported (Manager.ImportPool)",
                                name, locked->pool->foreign));
    return locked;
}

Result<PoolSummary> Engine::create_pool(const std::string& name, const std::vector<std::string>& devices,
                                        const CreatePoolOptions& options)
{
    if (find(name))
        return fail(ErrorCode::AlreadyExists, fmt::format("a pool named '{}' exists", name));
    if (host_.empty())
        return fail(ErrorCode::Failed, "this machine has no machine-id (/etc/machine-id), so it cannot own a pool");
    auto owned = options;
    owned.owner = host_;
    auto created = create_pool_on(name, devices, owned);
    if (!created)
        return std::unexpected(created.error());
    auto summary = summarize_pool(**created);
    std::lock_guard guard(pools_lock_);
    pools_.push_back(std::move(*created));
    return summary;
}

Result<void> Engine::destroy_pool(std::string_view name, bool force)
{
    auto locked = lock_owned_pool(name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    if (auto destroyable = check_destroyable(managed, force); !destroyable)
        return destroyable;
    if (auto no_devices = check_no_pool_devices(managed); !no_devices)
        return no_devices;
    if (auto erased = erase_members(managed); !erased)
        return erased;
    {
        std::lock_guard guard(pools_lock_);
        std::erase(pools_, locked->pool);
    }
    std::lock_guard view(managed.view_lock);
    managed.destroyed = true;
    managed.members.clear();
    return {};
}

std::vector<PoolSummary> Engine::pools() const
{
    std::lock_guard guard(pools_lock_);
    std::vector<PoolSummary> summaries;
    for (const auto& pool : pools_) {
        std::lock_guard view(pool->view_lock);
        summaries.push_back(summarize_pool(*pool));
    }
    return summaries;
}

Result<PoolSummary> Engine::pool(std::string_view name) const
{
    auto locked = view_pool(name);
    if (!locked)
        return std::unexpected(locked.error());
    return summarize_pool(*locked->pool);
}

Result<std::vector<VolumeSummary>> Engine::volumes(std::string_view pool_name) const
{
    auto locked = view_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    const auto& pool = locked->pool->pool;
    const auto unavailable = unavailable_volumes(*locked->pool);
    std::vector<VolumeSummary> summaries;
    for (const auto& volume : pool.volumes)
        summaries.push_back(summarize_volume(pool, volume, unavailable));
    return summaries;
}

Result<VolumeSummary> Engine::volume(std::string_view pool_name, std::string_view volume_name) const
{
    auto locked = view_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    const auto& pool = locked->pool->pool;
    auto volume = volume_named(pool, volume_name);
    if (!volume)
        return std::unexpected(volume.error());
    return summarize_volume(pool, **volume, unavailable_volumes(*locked->pool));
}

Result<UnavailableVolumes> Engine::unavailable(std::string_view pool_name) const
{
    auto locked = view_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    return unavailable_volumes(*locked->pool);
}

Result<model::Pool> Engine::model(std::string_view pool_name) const
{
    auto locked = view_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    return locked->pool->pool;
}

std::optional<std::uint64_t> Engine::committed_seq(std::string_view pool_name) const
{
    auto viewed = view_pool(pool_name);
    if (!viewed)
        return std::nullopt;
    return viewed->pool->seq;
}

std::optional<std::set<std::string>> Engine::touched_since(std::string_view pool_name, std::uint64_t seq) const
{
    auto viewed = view_pool(pool_name);
    if (!viewed)
        return std::nullopt;
    const auto& pool = *viewed->pool;
    if (pool.seq != seq + 1 || pool.touched_seq != pool.seq)
        return std::nullopt;
    return pool.last_touched;
}

Result<planner::Plan> Engine::reconciliation_plan(std::string_view pool_name) const
{
    auto locked = lock_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    return plan_reconciliation(*locked->pool);
}

Result<VolumeStatus> Engine::volume_status(std::string_view pool_name, std::string_view volume_name) const
{
    std::unique_lock guard(pools_lock_);
    for (const auto& managed : pools_) {
        std::unique_lock view(managed->view_lock);
        const auto& pool = managed->pool;
        if (pool.name != pool_name)
            continue;
        auto volume = volume_named(pool, volume_name);
        if (!volume)
            return std::unexpected(volume.error());
        const auto dm_uuid = model::dm_uuid(pool.uuid, (*volume)->uuid);
        const bool raid1 = std::holds_alternative<model::Raid1Layout>((*volume)->layout);
        view.unlock();
        guard.unlock();
        return read_volume_status(dm_uuid, raid1);
    }
    return fail(ErrorCode::NotFound, fmt::format("no pool named '{}'", pool_name));
}

std::map<std::string, std::string> Engine::kernel_targets()
{
    return used_target_versions(targets_.versions());
}

Result<VolumeSummary> Engine::create_linear_volume(std::string_view pool, const LinearRequest& request)
{
    auto uuid = new_uuid();
    if (!uuid)
        return std::unexpected(uuid.error());
    auto changed = change(pool, [&](const model::Pool& current) { return add_linear_volume(current, request, *uuid); });
    if (!changed)
        return std::unexpected(changed.error());
    return volume(pool, request.name);
}

Result<VolumeSummary> Engine::create_raid1_volume(std::string_view pool, const Raid1Request& request)
{
    auto uuid = new_uuid();
    if (!uuid)
        return std::unexpected(uuid.error());
    auto changed = change(
        pool, [&](const model::Pool& current) { return add_raid1_volume(current, request, *uuid); },
        [&](ManagedPool& managed, const model::Pool& next) {
            return zero_raid1_metadata(managed, *model::find_volume(next, *uuid));
        });
    if (!changed)
        return std::unexpected(changed.error());
    return volume(pool, request.name);
}

Result<void> Engine::remove_volume(std::string_view pool, std::string_view name)
{
    if (auto current = model(pool)) {
        const auto* volume = model::find_volume(*current, name);
        if (volume && std::holds_alternative<model::ThinLayout>(volume->layout)) {
            // "delete" frees a thin id only once nothing has it open: its device goes first.
            if (volume->active)
                if (auto deactivated = deactivate(pool, name); !deactivated)
                    return deactivated;
            return change_thin(pool, [&](const model::Pool& latest) -> Result<ThinDecision> {
                auto thin = volume_named(latest, name);
                if (!thin)
                    return std::unexpected(thin.error());
                auto decided = remove_thin(latest, (*thin)->uuid);
                if (!decided)
                    return std::unexpected(decided.error());
                return ThinDecision{std::move(*decided), std::nullopt};
            });
        }
    }
    return change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, name);
        if (!volume)
            return std::unexpected(volume.error());
        return engine::remove_volume(current, (*volume)->uuid);
    });
}

Result<VolumeSummary> Engine::rename_volume(std::string_view pool, std::string_view name, const std::string& new_name)
{
    auto renamed = change(
        pool,
        [&](const model::Pool& current) -> Result<model::Pool> {
            auto volume = volume_named(current, name);
            if (!volume)
                return std::unexpected(volume.error());
            return engine::rename_volume(current, (*volume)->uuid, new_name);
        },
        [&](ManagedPool& managed, const model::Pool&) -> Result<void> {
            const auto* volume = model::find_volume(managed.pool, name);
            if (volume && volume->active && std::holds_alternative<model::Raid1Layout>(volume->layout))
                return check_raid1_in_sync(managed.pool, *volume);
            return {};
        });
    if (!renamed)
        return std::unexpected(renamed.error());
    return this->volume(pool, new_name);
}

Result<void> Engine::activate(std::string_view pool, std::string_view name)
{
    auto locked = lock_owned_pool(pool);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    auto volume = volume_named(managed.pool, name);
    if (!volume)
        return std::unexpected(volume.error());
    const auto uuid = (*volume)->uuid;
    auto next = set_active(managed.pool, uuid, true);
    if (!next)
        return std::unexpected(next.error());
    readd_returned(managed, *next);
    const auto unavailable = graph::unavailable_volumes(*next, managed.placements());
    if (const auto reason = unavailable.find(uuid); reason != unavailable.end())
        return fail(ErrorCode::Failed, fmt::format("volume '{}' cannot run: {}", name, reason->second));
    if (auto activated = apply_pool_change(managed, *next, targets_, udev_reaper_); !activated)
        return activated;
    if (auto started = start_pending_merges(*locked->pool, targets_, udev_reaper_); !started)
        return fail(started.error().code,
                    fmt::format("'{}' is active, but a pending snapshot merge did not start: {}", name,
                                started.error().message));
    return {};
}

Result<void> Engine::deactivate(std::string_view pool, std::string_view name)
{
    return change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, name);
        if (!volume)
            return std::unexpected(volume.error());
        return set_active(current, (*volume)->uuid, false);
    });
}

Result<VolumeSummary> Engine::split_track(std::string_view pool, std::string_view array,
                                          const SplitTrackRequest& request)
{
    auto image_uuid = new_uuid();
    if (!image_uuid)
        return std::unexpected(image_uuid.error());
    auto changed = change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, array);
        if (!volume)
            return std::unexpected(volume.error());
        auto next = engine::split_track(current, (*volume)->uuid, request, *image_uuid);
        if (!next)
            return next;
        if (auto synced = check_raid1_in_sync(current, **volume); !synced)
            return std::unexpected(synced.error());
        return next;
    });
    if (!changed)
        return std::unexpected(changed.error());
    auto locked = lock_pool(pool);
    if (!locked)
        return std::unexpected(locked.error());
    const auto& committed = locked->pool->pool;
    const auto* image = model::find_volume(committed, *image_uuid);
    if (!image)
        return fail(ErrorCode::Failed, "the split image vanished from the committed metadata");
    return summarize_volume(committed, *image);
}

Result<VolumeSummary> Engine::split_image(std::string_view pool, std::string_view array, std::string_view new_name)
{
    auto uuid = new_uuid();
    if (!uuid)
        return std::unexpected(uuid.error());
    // Moving legs to lower slots needs what split-track needs: raid 1.9.0 and later.
    if (auto required = targets_.require(kmod::Feature::Raid1SplitTrack); !required)
        return std::unexpected(from_kmod(required.error()));
    auto changed = change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, array);
        if (!volume)
            return std::unexpected(volume.error());
        auto next = engine::split_image(current, (*volume)->uuid, std::string(new_name), *uuid);
        if (!next)
            return next;
        // Without it the shorter table found its bitmap older than the superblocks it read (seen
        // on Linux 6.1: "bitmap file is out of date -- forcing full recovery"), which marks every
        // region dirty.
        if (auto rewritten = rewrite_raid_superblocks(current, **volume, udev_reaper_); !rewritten)
            return std::unexpected(rewritten.error());
        return next;
    });
    if (!changed)
        return std::unexpected(changed.error());
    return volume(pool, new_name);
}

Result<void> Engine::merge_tracked_image(std::string_view pool, std::string_view image)
{
    return change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, image);
        if (!volume)
            return std::unexpected(volume.error());
        auto next = engine::merge_tracked_image(current, (*volume)->uuid);
        if (!next)
            return next;
        const auto& tracked = std::get<model::TrackedImageLayout>((*volume)->layout);
        if (auto rewritten = rewrite_raid_superblocks(current, *model::find_volume(current, tracked.array), udev_reaper_);
            !rewritten)
            return std::unexpected(rewritten.error());
        return next;
    });
}

Result<VolumeSummary> Engine::create_snapshot(std::string_view pool, std::string_view origin,
                                             const SnapshotRequest& request)
{
    if (auto current = model(pool)) {
        const auto* origin_volume = model::find_volume(*current, origin);
        if (origin_volume && std::holds_alternative<model::ThinLayout>(origin_volume->layout)) {
            if (request.cow_size != 0)
                return fail(ErrorCode::InvalidArgument,
                            fmt::format("'{}' is a thin volume: its snapshot shares the thin pool's space, so its COW "
                                        "size must be 0, not {}",
                                        origin, request.cow_size));
            return create_thin_snapshot(pool, origin, request.name);
        }
    }
    auto uuid = new_uuid();
    if (!uuid)
        return std::unexpected(uuid.error());
    auto changed = change(
        pool,
        [&](const model::Pool& current) -> Result<model::Pool> {
            auto volume = volume_named(current, origin);
            if (!volume)
                return std::unexpected(volume.error());
            return add_snapshot(current, (*volume)->uuid, request, *uuid);
        },
        [&](ManagedPool& managed, const model::Pool& next) {
            return zero_snapshot_header(managed, *model::find_volume(next, *uuid));
        });
    if (!changed)
        return std::unexpected(changed.error());
    return volume(pool, request.name);
}

Result<Engine::MergeStart> Engine::merge_snapshot(std::string_view pool, std::string_view snapshot)
{
    std::optional<model::Uuid> merged;
    auto changed = change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, snapshot);
        if (!volume)
            return std::unexpected(volume.error());
        if (!std::holds_alternative<model::SnapshotLayout>((*volume)->layout))
            return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a snapshot", snapshot));
        if (auto valid = check_snapshot_valid(current, **volume); !valid)
            return std::unexpected(valid.error());
        auto held = merge_held_open(current, **volume);
        if (!held)
            return std::unexpected(held.error());
        merged = (*volume)->uuid;
        return request_snapshot_merge(current, (*volume)->uuid, *held);
    });
    if (!changed)
        return std::unexpected(changed.error());
    auto locked = lock_pool(pool);
    if (!locked)
        return std::unexpected(locked.error());
    const auto* volume = model::find_volume(locked->pool->pool, *merged);
    if (!volume)
        return fail(ErrorCode::Failed, "the snapshot vanished from the committed metadata");
    return std::get<model::SnapshotLayout>(volume->layout).merge == model::SnapshotMergeState::Merging
               ? MergeStart::Started
               : MergeStart::Pending;
}

Result<std::optional<SnapshotUsage>> Engine::snapshot_usage(std::string_view pool_name,
                                                            std::string_view snapshot_name) const
{
    std::unique_lock guard(pools_lock_);
    for (const auto& managed : pools_) {
        std::unique_lock view(managed->view_lock);
        const auto& pool = managed->pool;
        if (pool.name != pool_name)
            continue;
        auto volume = volume_named(pool, snapshot_name);
        if (!volume)
            return std::unexpected(volume.error());
        const auto* layout = std::get_if<model::SnapshotLayout>(&(*volume)->layout);
        if (!layout)
            return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a snapshot", snapshot_name));
        const auto& device = layout->merge == model::SnapshotMergeState::Merging ? layout->origin : (*volume)->uuid;
        const auto dm_uuid = model::dm_uuid(pool.uuid, device);
        view.unlock();
        guard.unlock();
        return read_snapshot_usage(dm_uuid);
    }
    return fail(ErrorCode::NotFound, fmt::format("no pool named '{}'", pool_name));
}

Result<void> Engine::finish_snapshot_merge(std::string_view pool, std::string_view snapshot)
{
    return change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, snapshot);
        if (!volume)
            return std::unexpected(volume.error());
        const auto* layout = std::get_if<model::SnapshotLayout>(&(*volume)->layout);
        if (!layout || layout->merge != model::SnapshotMergeState::Merging)
            return fail(ErrorCode::InvalidArgument, fmt::format("snapshot '{}' is not merging", snapshot));
        auto usage = read_snapshot_usage(model::dm_uuid(current.uuid, layout->origin));
        if (!usage)
            return std::unexpected(usage.error());
        if (!*usage || !(*usage)->merge_finished)
            return fail(ErrorCode::Busy, fmt::format("snapshot '{}' is still merging into its origin", snapshot));
        return engine::finish_snapshot_merge(current, (*volume)->uuid);
    });
}

Result<VolumeSummary> Engine::create_thin_pool(std::string_view pool, const ThinPoolRequest& request)
{
    auto uuid = new_uuid();
    if (!uuid)
        return std::unexpected(uuid.error());
    auto changed = change(
        pool, [&](const model::Pool& current) { return add_thin_pool(current, request, *uuid); },
        [&](ManagedPool& managed, const model::Pool& next) {
            return zero_thin_pool_superblock(managed, *model::find_volume(next, *uuid));
        });
    if (!changed)
        return std::unexpected(changed.error());
    return volume(pool, request.name);
}

}  // namespace volumes::engine
