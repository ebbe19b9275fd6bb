#include "service/bus/state/state_reader.hpp"

#include <algorithm>

#include "service/bus/state/raid1_health.hpp"
#include "service/model/autoextend_policy.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::bus {

namespace {

std::string volume_name(const model::Pool& pool, const model::Uuid& uuid)
{
    for (const auto& volume : pool.volumes)
        if (volume.uuid == uuid)
            return volume.name;
    return {};
}

AutoextendState autoextend_state(const model::AutoextendPolicy& effective, bool inherited)
{
    return {effective.threshold_percent, effective.step_percent, inherited};
}

bool listed(const std::vector<std::string>& uuids, const model::Uuid& uuid)
{
    return std::find(uuids.begin(), uuids.end(), uuid.to_string()) != uuids.end();
}

// Whether any member the leg has extents on (its rmeta or its rimage) is in `uuids`.
bool leg_on_any(const model::Raid1Leg& leg, const std::vector<std::string>& uuids)
{
    const auto on = [&](const model::ExtentMap& runs) {
        return std::any_of(runs.begin(), runs.end(), [&](const model::ExtentRun& run) { return listed(uuids, run.member); });
    };
    return on(leg.meta) || on(leg.data);
}

const char* merge_state_word(model::SnapshotMergeState state)
{
    switch (state) {
    case model::SnapshotMergeState::None: return "none";
    case model::SnapshotMergeState::Pending: return "pending";
    case model::SnapshotMergeState::Merging: return "merging";
    case model::SnapshotMergeState::Failed: return "failed";
    }
    return "none";
}

}  // namespace

ThinPoolState thin_pool_state(const model::Pool& pool, const model::Volume& volume, const model::ThinPoolLayout& layout,
                              const engine::Result<std::optional<engine::ThinPoolUsage>>& usage)
{
    ThinPoolState state;
    state.transaction_id = layout.transaction_id;
    state.metadata_device = "/dev/mapper/" + model::dm_name(pool.name, volume.name, model::role::tmeta);
    if (usage && *usage) {
        const auto& kernel = **usage;
        constexpr std::uint64_t metadata_block = 4096;
        state.transaction_id = kernel.transaction_id;
        state.data_used = kernel.data_used_blocks * layout.block_size;
        state.data_size = kernel.data_total_blocks * layout.block_size;
        state.metadata_used = kernel.metadata_used_blocks * metadata_block;
        state.metadata_size = kernel.metadata_total_blocks * metadata_block;
        state.mode = kernel.mode;
        state.below_low_water = kernel.data_total_blocks - kernel.data_used_blocks <= layout.low_water_blocks;
        state.needs_check = kernel.needs_check;
        state.held_metadata_root = kernel.held_root.value_or(0);
    }
    return state;
}

SnapshotState snapshot_state(const model::SnapshotLayout& layout,
                             const engine::Result<std::optional<engine::SnapshotUsage>>& usage)
{
    SnapshotState state;
    state.merge_state = merge_state_word(layout.merge);
    if (usage && *usage) {
        const auto& kernel = **usage;
        state.used_sectors = kernel.allocated_sectors;
        state.total_sectors = kernel.total_sectors;
        state.invalid = kernel.state == "invalid";
        if (kernel.state == "merge-failed")
            state.merge_state = "failed";
    }
    return state;
}

RaidSyncState raid_sync_state(const engine::RaidSync& status)
{
    RaidSyncState sync;
    sync.action = status.action;
    sync.in_sync_sectors = status.in_sync_sectors;
    sync.total_sectors = status.total_sectors;
    sync.synced = status.synced;
    sync.failed_leg = std::find(status.health.begin(), status.health.end(), 'D') != status.health.end();
    return sync;
}

PoolState pool_state(const engine::PoolSummary& summary)
{
    PoolState state;
    state.name = summary.name;
    state.uuid = summary.uuid.to_string();
    for (const auto& member : summary.members) {
        state.members.push_back({member.uuid.to_string(), member.path, member.extents * summary.extent_size,
                                 member.present});
        if (!member.present)
            state.missing_members.push_back(member.uuid.to_string());
        if (member.failed)
            state.failed_members.push_back(member.uuid.to_string());
    }
    state.size = summary.size;
    state.free = summary.free;
    state.extent_size = summary.extent_size;
    state.complete = summary.complete;
    state.problems = summary.problems;
    state.owner = summary.owner;
    state.foreign = !summary.foreign.empty();
    if (state.foreign)
        state.problems.insert(state.problems.begin(), "the pool is foreign: " + summary.foreign);
    return state;
}

Raid1State raid1_state(const model::Pool& pool, const PoolState& members, const model::Raid1Layout& layout,
                       const std::optional<engine::RaidSync>& status, std::string_view unavailable)
{
    Raid1State state;
    state.region_size = layout.region_size;
    for (std::uint32_t slot = 0; slot < layout.legs.size(); ++slot) {
        const auto& leg = layout.legs[slot];
        LegFacts facts;
        facts.tracked = leg.tracked_image.has_value();
        facts.member_failed = leg_on_any(leg, members.failed_members);
        facts.member_missing = leg_on_any(leg, members.missing_members);
        if (status && slot < status->health.size())
            facts.kernel = status->health[slot];
        RaidImageState image;
        image.slot = slot;
        image.member_uuid = leg.data.empty() ? std::string() : leg.data.front().member.to_string();
        image.health = image_health(facts);
        if (leg.tracked_image)
            state.tracked_image = volume_name(pool, *leg.tracked_image);
        state.images.push_back(std::move(image));
    }
    state.health = array_health(state.images, unavailable);
    if (status)
        state.sync = raid_sync_state(*status);
    return state;
}

std::vector<std::string> pool_names(const engine::Engine& engine)
{
    std::vector<std::string> names;
    for (const auto& pool : engine.pools())
        names.push_back(pool.name);
    return names;
}

engine::Result<PoolSnapshot> read_pool(const engine::Engine& engine, std::string_view pool_name,
                                       const std::set<std::string>* only)
{
    auto summary = engine.pool(pool_name);
    if (!summary)
        return std::unexpected(summary.error());
    auto pool = engine.model(pool_name);
    if (!pool)
        return std::unexpected(pool.error());
    PoolSnapshot snapshot;
    snapshot.pool = pool_state(*summary);
    snapshot.pool.thin_pool_autoextend =
        autoextend_state(pool->thin_pool_autoextend.value_or(model::AutoextendPolicy{}), true);
    snapshot.pool.snapshot_autoextend =
        autoextend_state(pool->snapshot_autoextend.value_or(model::AutoextendPolicy{}), true);
    // A foreign pool's volumes are not this machine's to show or change.
    if (snapshot.pool.foreign)
        return snapshot;
    auto unavailable = engine.unavailable(pool_name);
    if (!unavailable)
        return std::unexpected(unavailable.error());
    for (const auto& volume : pool->volumes) {
        if (only && !only->contains(volume.name)) {
            snapshot.unchanged.push_back(volume.name);
            continue;
        }
        auto status = engine.volume_status(pool_name, volume.name);
        VolumeState state;
        state.pool = pool->name;
        state.name = volume.name;
        state.uuid = volume.uuid.to_string();
        state.kind = engine::kind_name(volume.layout);
        state.size = model::volume_size(*pool, volume).value_or(0);
        auto summary_of_volume = engine::summarize_volume(*pool, volume, *unavailable);
        state.device_path = summary_of_volume.device_path;
        state.read_only = summary_of_volume.read_only;
        state.unavailable = summary_of_volume.unavailable;
        state.active = status ? status->active : false;
        state.device_number = status && status->active ? status->device_number : 0;
        std::optional<engine::RaidSync> raid = status ? status->raid : std::nullopt;
        if (const auto* raid1 = std::get_if<model::Raid1Layout>(&volume.layout))
            state.raid1 = raid1_state(*pool, snapshot.pool, *raid1, raid, state.unavailable);
        if (const auto* tracked = std::get_if<model::TrackedImageLayout>(&volume.layout)) {
            state.tracked_image = TrackedImageState{volume_name(*pool, tracked->array), tracked->slot};
            state.origin = state.tracked_image->array;
        }
        if (const auto* thin_pool_layout = std::get_if<model::ThinPoolLayout>(&volume.layout)) {
            state.thin_pool = thin_pool_state(*pool, volume, *thin_pool_layout, engine.thin_pool_usage(pool_name, volume.name));
            state.thin_pool->autoextend = autoextend_state(model::effective_autoextend(*pool, *thin_pool_layout),
                                                           !thin_pool_layout->autoextend.has_value());
        }
        if (const auto* thin_layout = std::get_if<model::ThinLayout>(&volume.layout)) {
            auto mapped = engine.thin_mapped_sectors(pool_name, volume.name);
            state.thin = ThinState{volume_name(*pool, thin_layout->pool), thin_layout->thin_id,
                                   mapped && *mapped ? **mapped : 0};
        }
        if (const auto* snapshot_layout = std::get_if<model::SnapshotLayout>(&volume.layout)) {
            state.origin = volume_name(*pool, snapshot_layout->origin);
            state.snapshot = snapshot_state(*snapshot_layout, engine.snapshot_usage(pool_name, volume.name));
            state.snapshot->autoextend = autoextend_state(model::effective_autoextend(*pool, *snapshot_layout),
                                                          !snapshot_layout->autoextend.has_value());
        }
        snapshot.volumes.push_back(std::move(state));
    }
    return snapshot;
}

}  // namespace volumes::bus
