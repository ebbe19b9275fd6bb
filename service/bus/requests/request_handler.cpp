#include "service/bus/requests/request_handler.hpp"

#include <fmt/format.h>

#include "service/bus/bus_errors.hpp"
#include "service/bus/object_paths.hpp"
#include "service/bus/requests/health_log.hpp"
#include "service/bus/state/state_reader.hpp"
#include "service/logging/log.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::bus {

namespace {

// Views of the arguments: each must outlive the Fields (a literal, or a string the caller keeps).
logging::Fields fields_of(std::string_view pool, std::string_view volume, std::string_view operation)
{
    return logging::Fields{pool, volume, operation};
}

bool is_merging(const VolumeState& volume)
{
    return volume.snapshot && volume.snapshot->merge_state == "merging";
}

constexpr std::chrono::seconds kSnapshotRefreshInterval{2};
// The least time between two refreshes a dm event starts: events of other devices (a snapshot,
// a thin volume) read the pools with thin pools and raid1 arrays at most this often.
constexpr std::chrono::milliseconds kDmEventInterval{500};
// How often the disks of failed members volumesd still holds are asked whether they answer again.
constexpr std::chrono::seconds kMemberProbeInterval{10};

bool refreshed_by_poll(const VolumeState& volume)
{
    return (volume.snapshot && (volume.active || is_merging(volume))) || ((volume.thin_pool || volume.thin) && volume.active);
}

// What raises the dm events worth a read: a thin pool at its low water, a raid1 array whose
// leg failed or whose sync ended.
bool refreshed_by_events(const VolumeState& volume)
{
    return (volume.thin_pool || volume.raid1) && volume.active;
}

}  // namespace

bool needs_sync_job(const VolumeState& volume)
{
    return volume.raid1 && volume.active && !volume.raid1->sync.synced && !volume.raid1->sync.action.empty();
}

RequestHandler::RequestHandler(engine::Engine& engine, BusLoop& loop, WorkQueues& queues, Authority& authority)
    : engine_(engine), loop_(loop), queues_(queues), pipeline_(engine, loop, queues, authority)
{
}

RequestHandler::~RequestHandler()
{
    if (poller_)
        poller_->cancel(this);
}

void RequestHandler::attach(ManagerObject& manager, ObjectTree& tree, JobRegistry& jobs, RaidSyncWatches& watches,
                            SnapshotMergeWatches& merges)
{
    pipeline_.attach(manager, tree);
    manager_ = &manager;
    tree_ = &tree;
    jobs_ = &jobs;
    watches_ = &watches;
    merges_ = &merges;
    tree.watch_volumes(log_health_change);
}

std::string RequestHandler::start_sync_job(const std::string& pool, const std::string& volume, const char* operation,
                                           uid_t uid, std::uint64_t from_sectors)
{
    auto id = jobs_->start({operation, {volume_path(pool, volume)}, uid});
    watches_->watch(pool, volume, [this, id, pool, volume, from_sectors,
                                   operation = std::string(operation)](const RaidWatchReport& report) {
        if (report.snapshot)
            tree_->apply(*report.snapshot);
        const auto work = sync_work(report.sync.in_sync_sectors, report.sync.total_sectors, from_sectors);
        jobs_->progress(id, work.done_bytes, work.total_bytes);
        if (report.outcome == RaidWatchReport::Outcome::Running)
            return;
        bool success = report.outcome == RaidWatchReport::Outcome::Synced;
        if (success && rebuilding(pool, volume)) {
            // A repaired array's new images are in sync: it is reloaded without "rebuild" (on
            // the pool's worker, as every change) before the job ends.
            queues_.submit(pool, [this, id, pool, volume, operation, message = report.message] {
                auto finished = engine_.finish_raid1_rebuild(pool, volume);
                auto snapshot = read_pool(engine_, pool);
                loop_.post([this, id, pool, volume, operation, message, finished = std::move(finished),
                            snapshot = std::move(snapshot)] {
                    if (snapshot && tree_->has_pool(pool))
                        tree_->apply(*snapshot);
                    if (finished)
                        end_sync_job(id, pool, volume, operation, true, message);
                    else
                        end_sync_job(id, pool, volume, operation, false,
                                     fmt::format("{}, but reloading the array without \"rebuild\" failed: {}; "
                                                 "volumesd tries again at its next start",
                                                 message, finished.error().message));
                });
            });
            return;
        }
        end_sync_job(id, pool, volume, operation, success, report.message);
    });
    return job_path(id);
}

bool RequestHandler::rebuilding(const std::string& pool, const std::string& volume) const
{
    auto model = engine_.model(pool);
    if (!model)
        return false;
    const auto* found = model::find_volume(*model, volume);
    return found && engine::raid1_rebuilding(*found);
}

void RequestHandler::end_sync_job(std::uint64_t id, const std::string& pool, const std::string& volume,
                                  const std::string& operation, bool success, const std::string& message)
{
    auto fields = fields_of(pool, volume, operation);
    if (success)
        logging::info(fields, "job {}: {}", id, message);
    else
        logging::warning(fields, "job {} failed: {}", id, message);
    jobs_->finish(id, success, message);
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
        // A move the metadata records started again with the daemon: a job follows it anew.
        if (auto move = engine_.extent_move_progress(name); move && move->moving)
            start_move_job(name, 0);
        if (engine_.needs_healing(name))
            pipeline_.heal(name);
    }
    loop_.after(kSnapshotRefreshInterval, [this] { refresh_snapshots(); });
    loop_.after(kMemberProbeInterval, [this] { readd_answering_members(); });
    watch_dm_events();
}

void RequestHandler::readd_answering_members()
{
    for (const auto& name : pool_names(engine_)) {
        if (!engine_.has_failed_present_members(name) || !readding_.insert(name).second)
            continue;
        queues_.submit(name, [this, name] {
            auto readded = engine_.readd_answering_members(name);
            std::optional<engine::Result<PoolSnapshot>> snapshot;
            if (readded && !readded->empty())
                snapshot = read_pool(engine_, name);
            loop_.post([this, name, snapshot = std::move(snapshot)] {
                readding_.erase(name);
                if (snapshot && *snapshot && tree_->has_pool(name))
                    tree_->apply(**snapshot);
            });
        });
    }
    loop_.after(kMemberProbeInterval, [this] { readd_answering_members(); });
}

void RequestHandler::watch_dm_events()
{
    poller_ = WatchPoller::shared();
    poller_->add({this, kDmEventInterval, true,
                  [this] {
                      loop_.post([this] { refresh_pools(refreshed_by_events, true); });
                      return false;
                  },
                  true});
}

void RequestHandler::refresh_snapshots()
{
    refresh_pools(refreshed_by_poll, false);
    loop_.after(kSnapshotRefreshInterval, [this] { refresh_snapshots(); });
}

void RequestHandler::refresh_pools(const std::function<bool(const VolumeState&)>& which, bool again_if_busy)
{
    for (const auto& pool : tree_->pools_with(which)) {
        // One read per pool at a time, however long a change keeps its worker.
        if (!refreshing_.insert(pool).second) {
            if (again_if_busy)
                refresh_again_.insert(pool);
            continue;
        }
        queues_.submit(pool, [this, pool] {
            // Growth first, on the worker like every change, so the read below shows it.
            auto extended = engine_.autoextend(pool);
            auto snapshot = read_pool(engine_, pool);
            loop_.post([this, pool, extended = std::move(extended), snapshot = std::move(snapshot)] {
                refreshing_.erase(pool);
                report_autoextend(pool, extended);
                if (snapshot && tree_->has_pool(pool)) {
                    log_thin_pool_changes(*snapshot);
                    tree_->apply(*snapshot);
                }
                if (refresh_again_.erase(pool))
                    refresh_pools(
                        [&](const VolumeState& volume) { return volume.pool == pool && refreshed_by_events(volume); },
                        false);
            });
        });
    }
}

void RequestHandler::report_autoextend(const std::string& pool,
                                       const engine::Result<engine::Engine::AutoextendReport>& report)
{
    if (!report) {
        // Tried again every refresh: said once until it changes.
        auto& said = autoextend_failures_[pool];
        if (said != report.error().message)
            logging::warning(fields_of(pool, {}, "autoextend"), "autoextend failed: {}", report.error().message);
        said = report.error().message;
        return;
    }
    autoextend_failures_.erase(pool);
    for (const auto& grown : report->grown)
        logging::info(fields_of(pool, grown.name, "autoextend"), "{} was {}% used: grown from {} to {} bytes",
                      engine::part_name(grown.part), grown.used_percent, grown.from_bytes, grown.to_bytes);
    // A shortfall is said once while it lasts: a part that falls below its threshold (or grows
    // by its whole step) and crosses it again is said again.
    std::set<std::string> standing;
    for (const auto& shortfall : report->shortfalls) {
        const auto key = shortfall.name + '\n' + engine::part_name(shortfall.part);
        standing.insert(key);
        if (space_warnings_[pool].contains(key))
            continue;
        logging::warning(fields_of(pool, shortfall.name, "autoextend"), "{}", shortfall.message);
        tree_->emit_space_warning(pool, shortfall.name, engine::part_name(shortfall.part), shortfall.message);
    }
    if (standing.empty())
        space_warnings_.erase(pool);
    else
        space_warnings_[pool] = std::move(standing);
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

}  // namespace volumes::bus
