#include <fmt/core.h>

#include "service/engine/decision_checks.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/engine_change.hpp"

// The Engine's autoextend: the usage the kernel reports, the decision, one transaction.
namespace volumes::engine {

namespace {

// A thin pool the kernel still writes to: growing its data ends "out_of_data_space" (dm-thin
// switches back to "rw" when it sees the larger device on resume); "ro" and "fail" need a
// check first, never more space.
bool may_grow(const ThinPoolUsage& usage)
{
    return !usage.needs_check && (usage.mode == "rw" || usage.mode == "out_of_data_space");
}

}  // namespace

Result<Engine::AutoextendReport> Engine::autoextend(std::string_view pool)
{
    auto current = model(pool);
    if (!current)
        return std::unexpected(current.error());
    std::vector<PartUsage> usages;
    for (const auto& volume : current->volumes) {
        if (!volume.active)
            continue;
        if (std::holds_alternative<model::ThinPoolLayout>(volume.layout)) {
            auto usage = thin_pool_usage(pool, volume.name);
            if (!usage || !*usage || !may_grow(**usage))
                continue;
            const auto& kernel = **usage;
            usages.push_back({volume.uuid, AutoextendPart::Data, kernel.data_used_blocks, kernel.data_total_blocks});
            usages.push_back(
                {volume.uuid, AutoextendPart::Metadata, kernel.metadata_used_blocks, kernel.metadata_total_blocks});
        } else if (std::holds_alternative<model::SnapshotLayout>(volume.layout)) {
            auto usage = snapshot_usage(pool, volume.name);
            if (!usage || !*usage || (*usage)->state != "active")
                continue;
            usages.push_back({volume.uuid, AutoextendPart::Cow, (*usage)->allocated_sectors, (*usage)->total_sectors});
        }
    }
    auto preview = plan_autoextend(*current, usages);
    if (!preview)
        return std::unexpected(preview.error());
    if (preview->grown.empty())
        return AutoextendReport{{}, std::move(preview->shortfalls)};

    AutoextendReport report;
    auto changed = change(pool, [&](const model::Pool& locked) -> Result<model::Pool> {
        auto plan = plan_autoextend(locked, usages);
        if (!plan)
            return std::unexpected(plan.error());
        report.grown = std::move(plan->grown);
        report.shortfalls = std::move(plan->shortfalls);
        return std::move(plan->next);
    });
    if (!changed)
        return std::unexpected(changed.error());
    return report;
}

Result<void> Engine::set_pool_autoextend(std::string_view pool, bool snapshots, const model::AutoextendPolicy& policy)
{
    return change(pool, [&](const model::Pool& current) { return with_pool_autoextend(current, snapshots, policy); });
}

Result<void> Engine::set_volume_autoextend(std::string_view pool, std::string_view name,
                                           const std::optional<model::AutoextendPolicy>& policy)
{
    return change(pool, [&](const model::Pool& current) -> Result<model::Pool> {
        auto volume = volume_named(current, name);
        if (!volume)
            return std::unexpected(volume.error());
        return with_volume_autoextend(current, (*volume)->uuid, policy);
    });
}

}  // namespace volumes::engine
