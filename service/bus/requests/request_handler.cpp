#include "service/bus/requests/request_handler.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "service/bus/bus_errors.hpp"
#include "service/bus/object_paths.hpp"
#include "service/bus/requests/request_parsing.hpp"
#include "service/bus/state/state_reader.hpp"
#include "service/logging/log.hpp"
#include "service/model/names.hpp"

namespace volumes::bus {

namespace {

// Pool creation and the pool list are one queue, so two CreatePool calls never race for a device.
constexpr const char* kPoolsQueue = "\x01pools";

template <class... Results>
std::shared_ptr<sdbus::Result<Results...>> share(sdbus::Result<Results...>&& result)
{
    return std::make_shared<sdbus::Result<Results...>>(std::move(result));
}

template <class... Results>
std::function<void(const sdbus::Error&)> fail_with(const std::shared_ptr<sdbus::Result<Results...>>& reply)
{
    return [reply](const sdbus::Error& error) { reply->returnError(error); };
}

// Views of the arguments: each must outlive the Fields (a literal, or a string the caller keeps).
logging::Fields fields_of(std::string_view pool, std::string_view volume, std::string_view operation)
{
    return logging::Fields{pool, volume, operation};
}

// An active raid1 whose kernel status says it is still syncing: a "raid1-sync" job follows it.
bool needs_sync_job(const VolumeState& volume)
{
    return volume.raid1 && volume.active && !volume.raid1->sync.synced && !volume.raid1->sync.action.empty();
}

bool is_merging(const VolumeState& volume)
{
    return volume.snapshot && volume.snapshot->merge_state == "merging";
}

constexpr std::chrono::seconds kSnapshotRefreshInterval{2};

// What a polkit rule sees of a call that writes over whole disks: "devices" (the paths, separated
// by spaces) and "force".
std::map<std::string, std::string> pool_disk_details(const std::vector<std::string>& devices, bool force)
{
    return {{"devices", fmt::format("{}", fmt::join(devices, " "))}, {"force", force ? "true" : "false"}};
}

}  // namespace

RequestHandler::RequestHandler(engine::Engine& engine, BusLoop& loop, WorkQueues& queues, Authority& authority)
    : engine_(engine), loop_(loop), queues_(queues), authority_(authority)
{
}

void RequestHandler::attach(ManagerObject& manager, ObjectTree& tree, JobRegistry& jobs, RaidSyncWatches& watches,
                            SnapshotMergeWatches& merges)
{
    manager_ = &manager;
    tree_ = &tree;
    jobs_ = &jobs;
    watches_ = &watches;
    merges_ = &merges;
}

void RequestHandler::authorize(const CallContext& call, const char* action, const Target& target,
                               std::function<void(const sdbus::Error&)> fail, Allowed then)
{
    auto interaction = allows_user_interaction(call.options);
    if (!interaction) {
        fail(to_bus_error(interaction.error()));
        return;
    }
    AuthorizationRequest request{call.sender, action, *interaction, {}};
    if (!target.pool.empty())
        request.details["pool"] = target.pool;
    if (!target.volume.empty())
        request.details["volume"] = target.volume;
    request.details["operation"] = target.operation;
    for (const auto& [key, value] : target.details)
        request.details[key] = value;
    authority_.check(request, [target, action = std::string(action), fail = std::move(fail),
                               then = std::move(then)](AuthorizationResult result) {
        if (!result.allowed) {
            logging::notice(fields_of(target.pool, target.volume, target.operation), "refused {} to uid {}: {}", action,
                            static_cast<long>(result.uid == static_cast<uid_t>(-1) ? -1 : result.uid), result.message);
            fail(not_authorized(result.message));
            return;
        }
        then(result.uid);
    });
}

template <class T>
void RequestHandler::mutate(const std::string& queue, const Target& target, std::function<engine::Result<T>()> work,
                            std::function<void(const engine::Result<T>&)> done)
{
    queues_.submit(queue, [this, target, work = std::move(work), done = std::move(done)]() mutable {
        auto result = work();
        auto snapshot = read_pool(engine_, target.pool);
        // A change may have loaded a target module (dm_raid for the first raid1).
        auto targets = engine_.kernel_targets();
        loop_.post([this, target, result = std::move(result), snapshot = std::move(snapshot),
                    targets = std::move(targets), done = std::move(done)]() mutable {
            manager_->set_kernel_targets(std::move(targets));
            if (snapshot)
                tree_->apply(*snapshot);
            else if (snapshot.error().code == engine::ErrorCode::NotFound)
                tree_->remove_pool(target.pool);
            auto fields = fields_of(target.pool, target.volume, target.operation);
            if (result)
                logging::info(fields, "{} done", target.operation);
            else
                logging::notice(fields, "{} refused ({}): {}", target.operation, engine::to_string(result.error().code),
                                result.error().message);
            done(result);
        });
    });
}

std::string RequestHandler::start_sync_job(const std::string& pool, const std::string& volume, const char* operation,
                                           uid_t uid)
{
    auto id = jobs_->start({operation, {volume_path(pool, volume)}, uid});
    watches_->watch(pool, volume, [this, id, pool, volume, operation = std::string(operation)](const RaidWatchReport& report) {
        if (report.snapshot)
            tree_->apply(*report.snapshot);
        jobs_->progress(id, report.sync.in_sync_sectors * 512, report.sync.total_sectors * 512);
        if (report.outcome == RaidWatchReport::Outcome::Running)
            return;
        bool success = report.outcome == RaidWatchReport::Outcome::Synced;
        auto fields = fields_of(pool, volume, operation);
        if (success)
            logging::info(fields, "job {}: {}", id, report.message);
        else
            logging::warning(fields, "job {} failed: {}", id, report.message);
        jobs_->finish(id, success, report.message);
    });
    return job_path(id);
}

void RequestHandler::export_all()
{
    auto problems = engine_.problems();
    for (const auto& problem : problems)
        logging::warning({{}, {}, "start"}, "{}", problem);
    manager_->set_problems(std::move(problems));
    auto names = pool_names(engine_);
    tree_->keep_only(names);
    for (const auto& name : names) {
        auto snapshot = read_pool(engine_, name);
        if (!snapshot) {
            logging::warning({name, {}, "start"}, "cannot read the pool: {}", snapshot.error().message);
            continue;
        }
        tree_->apply(*snapshot);
        for (const auto& volume : snapshot->volumes)
            if (needs_sync_job(volume))
                start_sync_job(volume.pool, volume.name, "raid1-sync", 0);
        follow_merges(name, 0);
    }
    loop_.after(kSnapshotRefreshInterval, [this] { refresh_snapshots(); });
}

void RequestHandler::refresh_snapshots()
{
    for (const auto& pool : tree_->pools_with([](const VolumeState& volume) {
             return (volume.snapshot && (volume.active || is_merging(volume))) || ((volume.thin_pool || volume.thin) && volume.active);
         })) {
        // One read per pool at a time, however long a change keeps its worker.
        if (!refreshing_.insert(pool).second)
            continue;
        queues_.submit(pool, [this, pool] {
            auto snapshot = read_pool(engine_, pool);
            loop_.post([this, pool, snapshot = std::move(snapshot)] {
                refreshing_.erase(pool);
                if (!snapshot || !tree_->has_pool(pool))
                    return;
                log_thin_pool_changes(*snapshot);
                tree_->apply(*snapshot);
            });
        });
    }
    loop_.after(kSnapshotRefreshInterval, [this] { refresh_snapshots(); });
}

void RequestHandler::log_thin_pool_changes(const PoolSnapshot& snapshot) const
{
    for (const auto& volume : snapshot.volumes) {
        const auto* shown = tree_->volume(volume.pool, volume.name);
        if (!volume.thin_pool || !shown || !shown->thin_pool || !volume.active)
            continue;
        const auto& before = *shown->thin_pool;
        const auto& after = *volume.thin_pool;
        const auto fields = fields_of(volume.pool, volume.name, "thin-pool");
        if (after.mode != before.mode && !before.mode.empty())
            logging::write(after.mode == "rw" ? logging::Level::Notice : logging::Level::Warning, fields,
                           fmt::format("thin pool mode {} -> {} ({} of {} data bytes used)", before.mode, after.mode,
                                       after.data_used, after.data_size));
        if (after.below_low_water && !before.below_low_water)
            logging::warning(fields, "free data space at or below the low-water mark: {} of {} bytes used",
                             after.data_used, after.data_size);
    }
}

void RequestHandler::follow_merges(const std::string& pool, uid_t uid)
{
    for (const auto& name : tree_->volume_names(pool)) {
        const auto* volume = tree_->volume(pool, name);
        if (volume && is_merging(*volume))
            start_merge_job(pool, name, uid);
    }
}

std::optional<std::string> RequestHandler::start_merge_job(const std::string& pool, const std::string& snapshot,
                                                           uid_t uid)
{
    const auto* state = tree_->volume(pool, snapshot);
    std::vector<std::string> objects{volume_path(pool, snapshot)};
    if (state && !state->origin.empty())
        objects.push_back(volume_path(pool, state->origin));
    auto id = std::make_shared<std::optional<std::uint64_t>>();
    auto total = std::make_shared<std::optional<std::uint64_t>>();
    auto finish = [this, id, pool, snapshot](bool success, const std::string& message) {
        const auto fields = fields_of(pool, snapshot, "snapshot-merge");
        if (success)
            logging::info(fields, "job {}: {}", **id, message);
        else
            logging::warning(fields, "job {} failed: {}", **id, message);
        tree_->emit_merge_completed(pool, snapshot, success, message);
        jobs_->finish(**id, success, message);
    };
    bool watched = merges_->watch(pool, snapshot, [=, this](const MergeWatchReport& report) {
        using Outcome = MergeWatchReport::Outcome;
        if (report.outcome == Outcome::Running) {
            if (!*total)
                *total = report.remaining_sectors;
            const auto remaining = std::min(report.remaining_sectors, **total);
            jobs_->progress(**id, (**total - remaining) * 512, **total * 512);
            return;
        }
        // Either way the pool is read again on its worker, after the snapshot is gone or so
        // that Invalid and MergeState show why the merge stopped.
        queues_.submit(pool, [=, this] {
            engine::Result<void> removed;
            if (report.outcome == Outcome::Merged)
                removed = engine_.finish_snapshot_merge(pool, snapshot);
            auto state = read_pool(engine_, pool);
            loop_.post([=, this, state = std::move(state)] {
                if (report.outcome == Outcome::Failed)
                    finish(false, report.message);
                else if (!removed)
                    finish(false, fmt::format("the merge of snapshot '{}' ended, but removing it failed: {}", snapshot,
                                              removed.error().message));
                else
                    finish(true, fmt::format("snapshot '{}' is merged into its origin and removed", snapshot));
                if (state)
                    tree_->apply(*state);
            });
        });
    });
    if (!watched)
        return std::nullopt;
    *id = jobs_->start({"snapshot-merge", objects, uid});
    return job_path(**id);
}

void RequestHandler::create_pool(CallContext call, std::string name, std::vector<std::string> devices,
                                 sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    auto request = parse_create_pool(name, devices, call.options);
    Target target{name, {}, "CreatePool", pool_disk_details(devices, request && request->options.force)};
    authorize(call, action::manage_pools, target, fail_with(reply), [=, this](uid_t) {
        if (!request)
            return reply->returnError(to_bus_error(request.error()));
        mutate<engine::PoolSummary>(
            kPoolsQueue, target,
            [this, request = *request] { return engine_.create_pool(request.name, request.devices, request.options); },
            [reply, name](const engine::Result<engine::PoolSummary>& created) {
                if (!created)
                    return reply->returnError(to_bus_error(created.error()));
                reply->returnResults(sdbus::ObjectPath(pool_path(name)));
            });
    });
}

void RequestHandler::import_pool(CallContext call, std::string pool, sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    auto request = parse_import_pool(std::move(pool), call.options);
    const bool force = request && request->force;
    Target target{request ? request->pool : std::string(), {}, "ImportPool", {{"force", force ? "true" : "false"}}};
    authorize(call, action::import_pool, target, fail_with(reply), [=, this](uid_t) {
        if (!request)
            return reply->returnError(to_bus_error(request.error()));
        queues_.submit(kPoolsQueue, [this, reply, request = *request, target] {
            auto imported = engine_.import_pool(request.pool, request.force);
            auto snapshot = imported ? read_pool(engine_, imported->name)
                                     : engine::Result<PoolSnapshot>(std::unexpected(imported.error()));
            auto problems = engine_.problems();
            loop_.post([this, reply, target, imported = std::move(imported), snapshot = std::move(snapshot),
                        problems = std::move(problems)]() mutable {
                manager_->set_problems(std::move(problems));
                auto fields = fields_of(target.pool, target.volume, target.operation);
                if (!imported) {
                    logging::notice(fields, "ImportPool refused ({}): {}", engine::to_string(imported.error().code),
                                    imported.error().message);
                    return reply->returnError(to_bus_error(imported.error()));
                }
                logging::info(fields, "pool '{}' ({}) imported", imported->name, imported->uuid.to_string());
                if (snapshot)
                    tree_->apply(*snapshot);
                reply->returnResults(sdbus::ObjectPath(pool_path(imported->name)));
            });
        });
    });
}

void RequestHandler::destroy_pool(CallContext call, std::string pool, sdbus::Result<> result)
{
    auto reply = share(std::move(result));
    auto force = parse_destroy_pool(call.options);
    Target target{pool, {}, "Destroy", pool_disk_details(tree_->member_paths(pool), force && *force)};
    authorize(call, action::manage_pools, target, fail_with(reply), [=, this](uid_t) {
        if (!force)
            return reply->returnError(to_bus_error(force.error()));
        mutate<void>(
            pool, target, [this, pool, force = *force] { return engine_.destroy_pool(pool, force); },
            [reply](const engine::Result<void>& destroyed) {
                if (!destroyed)
                    return reply->returnError(to_bus_error(destroyed.error()));
                reply->returnResults();
            });
    });
}

void RequestHandler::create_volume(CallContext call, std::string pool, std::string name, std::uint64_t size,
                                   sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    Target target{pool, name, "CreateVolume"};
    authorize(call, action::manage, target, fail_with(reply), [=, this](uid_t uid) {
        auto request = parse_create_volume(name, size, call.options);
        if (!request)
            return reply->returnError(to_bus_error(request.error()));
        bool raid1 = std::holds_alternative<engine::Raid1Request>(*request);
        mutate<engine::VolumeSummary>(
            pool, target,
            [this, pool, request = *request]() -> engine::Result<engine::VolumeSummary> {
                if (const auto* linear = std::get_if<engine::LinearRequest>(&request))
                    return engine_.create_linear_volume(pool, *linear);
                return engine_.create_raid1_volume(pool, std::get<engine::Raid1Request>(request));
            },
            [this, reply, pool, name, raid1, uid](const engine::Result<engine::VolumeSummary>& created) {
                if (!created)
                    return reply->returnError(to_bus_error(created.error()));
                if (raid1)
                    start_sync_job(pool, name, "raid1-sync", uid);
                reply->returnResults(sdbus::ObjectPath(volume_path(pool, name)));
            });
    });
}

void RequestHandler::remove_volume(CallContext call, VolumeRef volume, sdbus::Result<> result)
{
    auto reply = share(std::move(result));
    Target target{volume.pool, volume.volume, "Remove"};
    authorize(call, action::manage, target, fail_with(reply), [=, this](uid_t) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        mutate<void>(
            volume.pool, target, [this, volume] { return engine_.remove_volume(volume.pool, volume.volume); },
            [reply](const engine::Result<void>& removed) {
                if (!removed)
                    return reply->returnError(to_bus_error(removed.error()));
                reply->returnResults();
            });
    });
}

void RequestHandler::activate(CallContext call, VolumeRef volume, sdbus::Result<> result)
{
    auto reply = share(std::move(result));
    Target target{volume.pool, volume.volume, "Activate"};
    authorize(call, action::manage, target, fail_with(reply), [=, this](uid_t uid) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        mutate<void>(
            volume.pool, target, [this, volume] { return engine_.activate(volume.pool, volume.volume); },
            [this, reply, volume, uid](const engine::Result<void>& activated) {
                if (!activated)
                    return reply->returnError(to_bus_error(activated.error()));
                const auto* state = tree_->volume(volume.pool, volume.volume);
                if (state && needs_sync_job(*state))
                    start_sync_job(volume.pool, volume.volume, "raid1-sync", uid);
                follow_merges(volume.pool, uid);
                reply->returnResults();
            });
    });
}

void RequestHandler::deactivate(CallContext call, VolumeRef volume, sdbus::Result<> result)
{
    auto reply = share(std::move(result));
    Target target{volume.pool, volume.volume, "Deactivate"};
    authorize(call, action::manage, target, fail_with(reply), [=, this](uid_t) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        mutate<void>(
            volume.pool, target, [this, volume] { return engine_.deactivate(volume.pool, volume.volume); },
            [reply](const engine::Result<void>& deactivated) {
                if (!deactivated)
                    return reply->returnError(to_bus_error(deactivated.error()));
                reply->returnResults();
            });
    });
}

void RequestHandler::split_track(CallContext call, VolumeRef array, sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    Target target{array.pool, array.volume, "SplitTrack"};
    authorize(call, action::split_track, target, fail_with(reply), [=, this](uid_t) {
        auto request = parse_split_track(call.options);
        if (!request)
            return reply->returnError(to_bus_error(request.error()));
        mutate<engine::VolumeSummary>(
            array.pool, target,
            [this, array, request = *request] { return engine_.split_track(array.pool, array.volume, request); },
            [reply, array](const engine::Result<engine::VolumeSummary>& image) {
                if (!image)
                    return reply->returnError(to_bus_error(image.error()));
                reply->returnResults(sdbus::ObjectPath(volume_path(array.pool, image->name)));
            });
    });
}

void RequestHandler::merge_tracked_image(CallContext call, VolumeRef image, sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    Target target{image.pool, image.volume, "Merge"};
    authorize(call, action::merge, target, fail_with(reply), [=, this](uid_t uid) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        const auto* state = tree_->volume(image.pool, image.volume);
        if (!state || !state->tracked_image)
            return reply->returnError(to_bus_error(
                {engine::ErrorCode::NotSupported, fmt::format("'{}' is not a tracked image", image.volume)}));
        auto array = state->tracked_image->array;
        mutate<void>(
            image.pool, target, [this, image] { return engine_.merge_tracked_image(image.pool, image.volume); },
            [this, reply, image, array, uid](const engine::Result<void>& merged) {
                if (!merged)
                    return reply->returnError(to_bus_error(merged.error()));
                reply->returnResults(sdbus::ObjectPath(start_sync_job(image.pool, array, "raid1-merge", uid)));
            });
    });
}

void RequestHandler::create_thin_pool(CallContext call, std::string pool, std::string name, std::uint64_t data_size,
                                      std::uint64_t metadata_size, sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    Target target{pool, name, "CreateThinPool"};
    authorize(call, action::manage, target, fail_with(reply), [=, this](uid_t) {
        auto request = parse_create_thin_pool(name, data_size, metadata_size, call.options);
        if (!request)
            return reply->returnError(to_bus_error(request.error()));
        mutate<engine::VolumeSummary>(
            pool, target, [this, pool, request = *request] { return engine_.create_thin_pool(pool, request); },
            [reply, pool](const engine::Result<engine::VolumeSummary>& created) {
                if (!created)
                    return reply->returnError(to_bus_error(created.error()));
                reply->returnResults(sdbus::ObjectPath(volume_path(pool, created->name)));
            });
    });
}

void RequestHandler::create_snapshot(CallContext call, VolumeRef volume, std::string name, std::uint64_t cow_size,
                                     sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    Target target{volume.pool, volume.volume, "CreateSnapshot"};
    authorize(call, action::manage, target, fail_with(reply), [=, this](uid_t) {
        auto request = parse_create_snapshot(name, cow_size, call.options);
        if (!request)
            return reply->returnError(to_bus_error(request.error()));
        mutate<engine::VolumeSummary>(
            volume.pool, target,
            [this, volume, request = *request] { return engine_.create_snapshot(volume.pool, volume.volume, request); },
            [reply, volume](const engine::Result<engine::VolumeSummary>& created) {
                if (!created)
                    return reply->returnError(to_bus_error(created.error()));
                reply->returnResults(sdbus::ObjectPath(volume_path(volume.pool, created->name)));
            });
    });
}

void RequestHandler::split(CallContext call, VolumeRef array, std::string new_name,
                           sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    Target target{array.pool, array.volume, "Split"};
    authorize(call, action::split_track, target, fail_with(reply), [=, this](uid_t) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        mutate<engine::VolumeSummary>(
            array.pool, target, [this, array, new_name] { return engine_.split_image(array.pool, array.volume, new_name); },
            [reply, array](const engine::Result<engine::VolumeSummary>& volume) {
                if (!volume)
                    return reply->returnError(to_bus_error(volume.error()));
                reply->returnResults(sdbus::ObjectPath(volume_path(array.pool, volume->name)));
            });
    });
}

void RequestHandler::merge_snapshot(CallContext call, VolumeRef snapshot,
                                    sdbus::Result<sdbus::ObjectPath, bool> result)
{
    auto reply = share(std::move(result));
    Target target{snapshot.pool, snapshot.volume, "Merge"};
    authorize(call, action::merge, target, fail_with(reply), [=, this](uid_t uid) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        mutate<engine::Engine::MergeStart>(
            snapshot.pool, target, [this, snapshot] { return engine_.merge_snapshot(snapshot.pool, snapshot.volume); },
            [this, reply, snapshot, uid](const engine::Result<engine::Engine::MergeStart>& merge) {
                if (!merge)
                    return reply->returnError(to_bus_error(merge.error()));
                if (*merge == engine::Engine::MergeStart::Pending) {
                    logging::info(fields_of(snapshot.pool, snapshot.volume, "Merge"),
                                  "merge pending: it starts at the origin's next activation");
                    return reply->returnResults(sdbus::ObjectPath(std::string(kNoObject)), true);
                }
                auto job = start_merge_job(snapshot.pool, snapshot.volume, uid);
                if (!job)
                    return reply->returnError(to_bus_error(
                        {engine::ErrorCode::Busy, fmt::format("a job already follows the merge of '{}'", snapshot.volume)}));
                reply->returnResults(sdbus::ObjectPath(*job), false);
            });
    });
}

void RequestHandler::create_thin(CallContext call, VolumeRef thin_pool, std::string name, std::uint64_t virtual_size,
                                 sdbus::Result<sdbus::ObjectPath> result)
{
    auto reply = share(std::move(result));
    Target target{thin_pool.pool, thin_pool.volume, "CreateThin"};
    authorize(call, action::manage, target, fail_with(reply), [=, this](uid_t) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        if (auto checked = check_size("a thin volume's virtual size", virtual_size); !checked)
            return reply->returnError(to_bus_error(checked.error()));
        mutate<engine::VolumeSummary>(
            thin_pool.pool, target,
            [this, thin_pool, name, virtual_size] {
                return engine_.create_thin(thin_pool.pool, thin_pool.volume, name, virtual_size);
            },
            [reply, thin_pool](const engine::Result<engine::VolumeSummary>& created) {
                if (!created)
                    return reply->returnError(to_bus_error(created.error()));
                reply->returnResults(sdbus::ObjectPath(volume_path(thin_pool.pool, created->name)));
            });
    });
}

void RequestHandler::reserve_metadata_snap(CallContext call, VolumeRef thin_pool,
                                           sdbus::Result<std::uint64_t, std::string, std::uint64_t> result)
{
    auto reply = share(std::move(result));
    Target target{thin_pool.pool, thin_pool.volume, "ReserveMetadataSnap"};
    authorize(call, action::reserve_metadata_snap, target, fail_with(reply), [=, this](uid_t) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        mutate<engine::Engine::MetadataSnapHold>(
            thin_pool.pool, target,
            [this, thin_pool] { return engine_.reserve_metadata_snap(thin_pool.pool, thin_pool.volume); },
            [reply](const engine::Result<engine::Engine::MetadataSnapHold>& held) {
                if (!held)
                    return reply->returnError(to_bus_error(held.error()));
                reply->returnResults(held->held_root, held->metadata_device, held->transaction_id);
            });
    });
}

void RequestHandler::release_metadata_snap(CallContext call, VolumeRef thin_pool, sdbus::Result<> result)
{
    auto reply = share(std::move(result));
    Target target{thin_pool.pool, thin_pool.volume, "ReleaseMetadataSnap"};
    authorize(call, action::reserve_metadata_snap, target, fail_with(reply), [=, this](uid_t) {
        if (auto parsed = parse_no_options(call.options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        mutate<void>(
            thin_pool.pool, target,
            [this, thin_pool] { return engine_.release_metadata_snap(thin_pool.pool, thin_pool.volume); },
            [reply](const engine::Result<void>& released) {
                if (!released)
                    return reply->returnError(to_bus_error(released.error()));
                reply->returnResults();
            });
    });
}

void RequestHandler::cancel_job(CallContext call, std::uint64_t job, sdbus::Result<> result)
{
    auto reply = share(std::move(result));
    auto interaction = allows_user_interaction(call.options);
    if (!interaction)
        return reply->returnError(to_bus_error(interaction.error()));
    Target target{{}, {}, "Cancel"};
    auto decide = [this, reply, job, options = call.options](uid_t) {
        if (auto parsed = parse_no_options(options); !parsed)
            return reply->returnError(to_bus_error(parsed.error()));
        const auto* state = jobs_->find(job);
        if (!state)
            return reply->returnError(to_bus_error({engine::ErrorCode::NotFound, fmt::format("no job {}", job)}));
        if (state->finished)
            return reply->returnError(to_bus_error({engine::ErrorCode::Busy, fmt::format("job {} has already finished", job)}));
        reply->returnError(to_bus_error(
            {engine::ErrorCode::NotSupported,
             fmt::format("job {} ({}) cannot be cancelled: the kernel finishes it on its own", job, state->operation)}));
    };
    authority_.caller_uid(call.sender, [this, call, target, reply, job, decide](std::optional<uid_t> uid, std::string error) {
        const auto* state = jobs_->find(job);
        if (uid && state && state->started_by_uid == *uid)
            return decide(*uid);
        if (!uid)
            return reply->returnError(not_authorized(fmt::format("cannot tell who is calling: {}", error)));
        authorize(call, action::cancel_job, target, fail_with(reply), decide);
    });
}

}  // namespace volumes::bus
