#include "service/engine/pool_transaction.hpp"

#include <fmt/core.h>

#include "service/devices/udev_settle.hpp"
#include "service/engine/error_translation.hpp"
#include "service/engine/pool_metadata_commit.hpp"
#include "service/engine/thin_messages_commit.hpp"
#include "service/engine/touched_volumes.hpp"
#include "service/engine/required_features.hpp"
#include "service/executor/live_state_reader.hpp"
#include "service/executor/run_transaction.hpp"
#include "service/planner/plan_transaction.hpp"
#include "service/graph/change_scope.hpp"
#include "service/graph/derive_graph.hpp"
#include "service/graph/udev_identity.hpp"
#include "service/logging/log.hpp"
#include "service/metadata/document.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"
#include "service/model/pool_checks.hpp"
#include "service/model/pool_codec.hpp"

namespace volumes::engine {

namespace {

constexpr std::chrono::milliseconds udev_settle_timeout{5000};

Result<void> check_ready(ManagedPool& pool, const model::Pool& next, SharedTargets& targets)
{
    if (pool.writable(next).empty())
        return fail(ErrorCode::Failed,
                    fmt::format("pool '{}' has no member left that can be written ({} missing, the others failed)",
                                pool.pool.name, pool.missing.size()));
    for (const auto feature : required_features(next))
        if (auto required = targets.require(feature); !required)
            return std::unexpected(from_kmod(required.error()));
    return {};
}

// A change from the committed model reads and plans only the devices it concerns
// (graph::change_scope); a pool whose devices may differ from its metadata (unhealed), and a
// reconciliation, read every device of the pool.
std::optional<graph::ChangeScope> scope_of(const ManagedPool& pool, const model::Pool& next)
{
    if (!pool.unhealed.empty())
        return std::nullopt;
    auto scope = graph::change_scope(pool.pool, next, pool.placements());
    if (!scope)
        return std::nullopt;
    return std::move(*scope);
}

executor::Result<executor::TransactionReport> run(const ManagedPool& pool, const model::Pool& next,
                                                  executor::MetadataCommit& metadata,
                                                  const graph::ChangeScope* scope)
{
    const auto placements = pool.placements();
    // Over a scope, only its volumes' devices are planned, so only they are derived.
    const auto derived = scope ? graph::scoped_pool(next, *scope) : model::Pool{};
    const auto& source_pool = scope ? derived : next;
    const executor::GraphSource source = [&](const graph::DeviceNumbers& numbers) {
        return graph::derive_graph(source_pool, placements, numbers);
    };
    return executor::run_transaction(model::dm_uuid_prefix(next.uuid), source, metadata, scope);
}

// Whether the kernel's devices are what the committed metadata says: reconciliation would
// only commit.
bool agrees(const planner::Plan& plan)
{
    return plan.steps == std::vector<planner::Step>{planner::CommitMetadata{}};
}

// After a failed transaction: whether the kernel's devices still differ from the committed
// metadata (read from the kernel, since a revert may have left something behind too); if so,
// the pool records why, for Engine::heal.
bool note_disagreement(ManagedPool& pool, const executor::Error& error)
{
    auto plan = plan_reconciliation(pool);
    if (plan && agrees(*plan))
        return false;
    const auto committed = error.committed ? "committed, but a later step failed" : "was not committed";
    auto message = fmt::format("a change {} and left the devices unlike the metadata ({}); healing", committed,
                               error.message);
    if (!plan)
        message += fmt::format(" (the devices could not be read: {})", plan.error().message);
    std::lock_guard view(pool.view_lock);
    pool.unhealed = std::move(message);
    return true;
}

}  // namespace

// One attempt at apply_pool_change; `unwritable` names the member whose metadata could not be
// written when that alone stopped it, before anything was changed.
Result<void> try_pool_change(ManagedPool& pool, const model::Pool& next, SharedTargets& targets,
                             executor::UdevReaper& udev_reaper, const ThinPoolSideChange* thin,
                             std::optional<model::Uuid>& unwritable)
{
    if (auto checked = model::check_pool(next); !checked)
        return fail(ErrorCode::Failed, "the engine built an inconsistent pool: " + checked.error().message);
    if (auto ready = check_ready(pool, next, targets); !ready)
        return ready;
    auto document = metadata::encode_document({pool.seq + 1, next.uuid, model::encode_pool(next)});
    if (!document)
        return std::unexpected(from_metadata(document.error()));
    PoolMetadataCommit pool_metadata(pool.writable(next), std::move(*document), pool.seq + 1);
    std::optional<ThinMessagesCommit> thin_metadata;
    if (thin) {
        std::optional<std::string> quiesced;
        auto quiesced_identity = kmod::UdevIdentity::Visible;
        if (thin->quiesced) {
            quiesced = model::dm_uuid(next.uuid, *thin->quiesced);
            if (const auto* origin = model::find_volume(next, *thin->quiesced))
                quiesced_identity = graph::udev_identity(*origin);
        }
        thin_metadata.emplace(pool_metadata, model::dm_uuid(next.uuid, thin->thin_pool), thin->messages, thin->undo,
                              std::move(quiesced), quiesced_identity);
    }
    executor::MetadataCommit& metadata =
        thin_metadata ? static_cast<executor::MetadataCommit&>(*thin_metadata) : pool_metadata;
    const auto scope = scope_of(pool, next);
    auto ran = run(pool, next, metadata, scope ? &*scope : nullptr);
    if (!ran && ran.error().code == executor::ErrorCode::Busy) {
        // udev probes a device after each change, holding it open for a moment; the planner
        // refused before writing anything, so try once more when udev is done.
        devices::wait_for_udev_to_settle(udev_settle_timeout);
        ran = run(pool, next, metadata, scope ? &*scope : nullptr);
    }
    {
        std::lock_guard view(pool.view_lock);
        for (const auto& stale : pool_metadata.stale())
            pool.problems.push_back(fmt::format("{}: holds an older document after a failed commit", stale));
        // A failure after the commit still leaves `next` as the truth on disk.
        pool.last_touched.reset();
        if (ran || ran.error().committed) {
            if (ran && scope)
                pool.last_touched = touched_volumes(pool.pool, next, *scope);
            pool.pool = next;
            pool.seq += 1;
            pool.touched_seq = pool.seq;
        }
    }
    if (!ran && !ran.error().committed && pool_metadata.unwritable()) {
        unwritable = pool_metadata.unwritable();
        return std::unexpected(from_executor(ran.error()));
    }
    if (!ran) {
        const bool disagrees = note_disagreement(pool, ran.error());
        auto error = from_executor(ran.error());
        if (ran.error().committed)
            error.message = "the change is committed, but finishing it in the kernel failed: " + error.message;
        if (disagrees)
            error.message += "; volumesd heals the pool's devices (its Problems say so until it is done)";
        return std::unexpected(std::move(error));
    }
    udev_reaper.hand_over(std::move(ran->udev_later));
    return {};
}

Result<void> apply_pool_change(ManagedPool& pool, const model::Pool& next, SharedTargets& targets,
                               executor::UdevReaper& udev_reaper, const ThinPoolSideChange* thin)
{
    auto marked = next;
    for (;;) {
        std::optional<model::Uuid> unwritable;
        auto applied = try_pool_change(pool, marked, targets, udev_reaper, thin, unwritable);
        if (applied || !unwritable)
            return applied;
        auto* member = model::find_member(marked, *unwritable);
        if (!member || member->failed)
            return applied;
        member->failed = true;
        logging::warning({pool.pool.name, {}, "metadata"},
                         "member {} cannot be written ({}); it is marked failed and the pool goes on without it",
                         unwritable->to_string(), applied.error().message);
    }
}

Result<void> heal_pool(ManagedPool& pool, SharedTargets& targets, executor::UdevReaper& udev_reaper)
{
    auto reconciled = reconcile_pool(pool, targets, udev_reaper);
    if (reconciled) {
        auto plan = plan_reconciliation(pool);
        if (!plan)
            reconciled = std::unexpected(plan.error());
        else if (!agrees(*plan))
            reconciled = fail(ErrorCode::Failed, "the devices still differ from the metadata after reconciling them");
    }
    std::lock_guard view(pool.view_lock);
    if (reconciled)
        pool.unhealed.clear();
    return reconciled;
}

Result<void> reconcile_pool(ManagedPool& pool, SharedTargets& targets, executor::UdevReaper& udev_reaper)
{
    if (auto ready = check_ready(pool, pool.pool, targets); !ready)
        return ready;
    UnchangedMetadata metadata;
    auto ran = run(pool, pool.pool, metadata, nullptr);
    if (!ran && ran.error().code == executor::ErrorCode::Busy) {
        // A transaction that died after creating or resuming a device leaves udev probing it,
        // which holds it open for a moment; the planner refuses to tear down an open device
        // before anything is done, so try once more when udev is done (as apply_pool_change
        // does). Seen on Linux 6.1 after a snapshot of a raid1 origin was killed at
        // "suspended": "<origin>_real leaves the graph but is open 3 time(s), 2 of them at
        // most by the pool's devices", and the origin stayed suspended.
        devices::wait_for_udev_to_settle(udev_settle_timeout);
        ran = run(pool, pool.pool, metadata, nullptr);
    }
    if (!ran)
        return std::unexpected(from_executor(ran.error()));
    udev_reaper.hand_over(std::move(ran->udev_later));
    return {};
}

Result<planner::Plan> plan_reconciliation(const ManagedPool& pool)
{
    const auto prefix = model::dm_uuid_prefix(pool.pool.uuid);
    auto live = executor::read_live_state(prefix);
    if (!live)
        return std::unexpected(from_executor(live.error()));
    graph::DeviceNumbers numbers;
    for (const auto& device : live->devices)
        numbers[device.uuid] = device.number;
    auto desired = graph::derive_graph(pool.pool, pool.placements(), numbers);
    if (!desired)
        return std::unexpected(from_model(desired.error()));
    auto plan = planner::plan_transaction(*live, desired->graph, prefix);
    if (!plan)
        return fail(ErrorCode::Failed, plan.error().message);
    return *plan;
}

}  // namespace volumes::engine
