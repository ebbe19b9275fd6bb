#include <fmt/core.h>

#include "kmod/device_mapper.hpp"
#include "kmod/messages/thin_pool_messages.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/error_translation.hpp"
#include "service/engine/extent_zeroing.hpp"
#include "service/engine/kernel_thin_status.hpp"
#include "service/engine/pool_transaction.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

// The Engine's dm-thin operations (kernel-targets.md §3).
namespace volumes::engine {

namespace {

Result<model::Uuid> fresh_uuid()
{
    auto uuid = model::Uuid::generate();
    if (!uuid)
        return std::unexpected(from_metadata(uuid.error()));
    return *uuid;
}

Result<const model::Volume*> thin_pool_named(const model::Pool& pool, std::string_view name)
{
    auto volume = volume_named(pool, name);
    if (!volume)
        return volume;
    if (!std::holds_alternative<model::ThinPoolLayout>((*volume)->layout))
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a thin pool", name));
    return volume;
}

// The live thin pool's usage; Busy while it is inactive.
Result<ThinPoolUsage> live_usage(const model::Pool& pool, const model::Volume& thin_pool)
{
    auto usage = read_thin_pool_usage(model::dm_uuid(pool.uuid, thin_pool.uuid));
    if (!usage)
        return std::unexpected(usage.error());
    if (!*usage)
        return fail(ErrorCode::Busy, fmt::format("thin pool '{}' is not active: activate it first", thin_pool.name));
    return **usage;
}

// Messages are refused unless the pool's transaction id is the committed one: a mismatch means
// the pool's metadata and the pool model disagree, which start-up reconciles.
Result<void> check_transaction_id(const model::Pool& pool, const model::Volume& thin_pool)
{
    auto usage = live_usage(pool, thin_pool);
    if (!usage)
        return std::unexpected(usage.error());
    const auto committed = std::get<model::ThinPoolLayout>(thin_pool.layout).transaction_id;
    if (usage->transaction_id != committed)
        return fail(ErrorCode::Failed,
                    fmt::format("thin pool '{}' has transaction id {}, its committed metadata {}; restart volumesd "
                                "to reconcile them",
                                thin_pool.name, usage->transaction_id, committed));
    if (usage->mode != "rw")
        return fail(ErrorCode::Busy,
                    fmt::format("thin pool '{}' is in mode {}; it takes no changes", thin_pool.name, usage->mode));
    return {};
}

// What undoes a create_thin or create_snap of `id` sent with a transaction id moving on.
std::vector<std::string> creation_undo(std::uint32_t id, std::uint64_t transaction_id)
{
    std::vector<std::string> undo;
    if (auto message = kmod::delete_thin_message(id))
        undo.push_back(*message);
    if (auto message = kmod::set_transaction_id_message(transaction_id + 1, transaction_id))
        undo.push_back(*message);
    return undo;
}

}  // namespace

Result<std::string> Engine::volume_dm_uuid(std::string_view pool_name, std::string_view volume_name) const
{
    std::lock_guard guard(pools_lock_);
    for (const auto& managed : pools_) {
        std::lock_guard view(managed->view_lock);
        if (managed->pool.name != pool_name)
            continue;
        auto volume = volume_named(managed->pool, volume_name);
        if (!volume)
            return std::unexpected(volume.error());
        return model::dm_uuid(managed->pool.uuid, (*volume)->uuid);
    }
    return fail(ErrorCode::NotFound, fmt::format("no pool named '{}'", pool_name));
}

Result<void> Engine::change_thin(std::string_view pool_name,
                                 const std::function<Result<ThinDecision>(const model::Pool&)>& decide)
{
    auto locked = lock_owned_pool(pool_name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    auto decision = decide(managed.pool);
    if (!decision)
        return std::unexpected(decision.error());
    auto& [thin_change, quiesced] = *decision;
    const auto* thin_pool = model::find_volume(managed.pool, thin_change.messages.thin_pool);
    if (!thin_pool)
        return fail(ErrorCode::Failed, "the thin pool of the change is missing");
    if (auto checked = check_transaction_id(managed.pool, *thin_pool); !checked)
        return checked;
    ThinPoolSideChange side{thin_change.messages.thin_pool, thin_change.messages.messages, {}, quiesced};
    const auto& before = std::get<model::ThinPoolLayout>(thin_pool->layout);
    const auto* next_pool = model::find_volume(thin_change.next, thin_change.messages.thin_pool);
    const auto& after = std::get<model::ThinPoolLayout>(next_pool->layout);
    if (after.next_thin_id != before.next_thin_id)
        side.undo = creation_undo(before.next_thin_id, before.transaction_id);
    return apply_pool_change(managed, thin_change.next, targets_, udev_reaper_, &side);
}

Result<VolumeSummary> Engine::create_thin(std::string_view pool, std::string_view thin_pool, const std::string& name,
                                          std::uint64_t virtual_size)
{
    auto uuid = fresh_uuid();
    if (!uuid)
        return std::unexpected(uuid.error());
    auto changed = change_thin(pool, [&](const model::Pool& current) -> Result<ThinDecision> {
        auto pool_volume = thin_pool_named(current, thin_pool);
        if (!pool_volume)
            return std::unexpected(pool_volume.error());
        auto decided = add_thin(current, (*pool_volume)->uuid, name, virtual_size, *uuid);
        if (!decided)
            return std::unexpected(decided.error());
        return ThinDecision{std::move(*decided), std::nullopt};
    });
    if (!changed)
        return std::unexpected(changed.error());
    return volume(pool, name);
}

Result<VolumeSummary> Engine::create_thin_snapshot(std::string_view pool, std::string_view origin,
                                                   const std::string& name)
{
    auto uuid = fresh_uuid();
    if (!uuid)
        return std::unexpected(uuid.error());
    auto changed = change_thin(pool, [&](const model::Pool& current) -> Result<ThinDecision> {
        auto origin_volume = volume_named(current, origin);
        if (!origin_volume)
            return std::unexpected(origin_volume.error());
        auto decided = add_thin_snapshot(current, (*origin_volume)->uuid, name, *uuid);
        if (!decided)
            return std::unexpected(decided.error());
        std::optional<model::Uuid> quiesced;
        if ((*origin_volume)->active)
            quiesced = (*origin_volume)->uuid;
        return ThinDecision{std::move(*decided), quiesced};
    });
    if (!changed)
        return std::unexpected(changed.error());
    return volume(pool, name);
}

Result<Engine::MetadataSnapHold> Engine::reserve_metadata_snap(std::string_view pool, std::string_view thin_pool)
{
    auto locked = lock_owned_pool(pool);
    if (!locked)
        return std::unexpected(locked.error());
    const auto& current = locked->pool->pool;
    auto pool_volume = thin_pool_named(current, thin_pool);
    if (!pool_volume)
        return std::unexpected(pool_volume.error());
    auto usage = live_usage(current, **pool_volume);
    if (!usage)
        return std::unexpected(usage.error());
    if (usage->held_root)
        return fail(ErrorCode::Busy, fmt::format("thin pool '{}' already holds a metadata snapshot (root {}): "
                                                 "release it first",
                                                 thin_pool, *usage->held_root));
    const auto device = kmod::DeviceId::by_uuid(model::dm_uuid(current.uuid, (*pool_volume)->uuid));
    if (auto sent = kmod::dm::message(device, kmod::reserve_metadata_snap_message()); !sent)
        return std::unexpected(from_kmod(sent.error()));
    auto held = live_usage(current, **pool_volume);
    if (!held)
        return std::unexpected(held.error());
    if (!held->held_root)
        return fail(ErrorCode::Failed, fmt::format("thin pool '{}' took reserve_metadata_snap but shows no held root",
                                                   thin_pool));
    return MetadataSnapHold{*held->held_root,
                            "/dev/mapper/" + model::dm_name(current.name, (*pool_volume)->name, model::role::tmeta),
                            held->transaction_id};
}

Result<void> Engine::release_metadata_snap(std::string_view pool, std::string_view thin_pool)
{
    auto locked = lock_owned_pool(pool);
    if (!locked)
        return std::unexpected(locked.error());
    const auto& current = locked->pool->pool;
    auto pool_volume = thin_pool_named(current, thin_pool);
    if (!pool_volume)
        return std::unexpected(pool_volume.error());
    auto usage = live_usage(current, **pool_volume);
    if (!usage)
        return std::unexpected(usage.error());
    if (!usage->held_root)
        return fail(ErrorCode::NotFound, fmt::format("thin pool '{}' holds no metadata snapshot", thin_pool));
    const auto device = kmod::DeviceId::by_uuid(model::dm_uuid(current.uuid, (*pool_volume)->uuid));
    if (auto sent = kmod::dm::message(device, kmod::release_metadata_snap_message()); !sent)
        return std::unexpected(from_kmod(sent.error()));
    return {};
}

Result<std::optional<ThinPoolUsage>> Engine::thin_pool_usage(std::string_view pool, std::string_view thin_pool) const
{
    auto uuid = volume_dm_uuid(pool, thin_pool);
    if (!uuid)
        return std::unexpected(uuid.error());
    return read_thin_pool_usage(*uuid);
}

Result<std::optional<std::uint64_t>> Engine::thin_mapped_sectors(std::string_view pool, std::string_view thin) const
{
    auto uuid = volume_dm_uuid(pool, thin);
    if (!uuid)
        return std::unexpected(uuid.error());
    return read_thin_mapped_sectors(*uuid);
}

}  // namespace volumes::engine
