#include "service/engine/autoextend_changes.hpp"

#include <algorithm>
#include <variant>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/resize_changes.hpp"
#include "service/engine/thin_changes.hpp"
#include "service/model/autoextend_policy.hpp"

namespace volumes::engine {

namespace {

std::uint32_t percent_of(std::uint64_t used, std::uint64_t total)
{
    if (total == 0)
        return 0;
    const auto percent = used >= total ? 100 : used * 100 / total;
    return static_cast<std::uint32_t>(percent);
}

// The part's extent map and policy, or nullptr when the volume is not of the part's kind.
struct PartOf {
    const model::ExtentMap* map = nullptr;
    model::AutoextendPolicy policy;
};

PartOf part_of(const model::Pool& pool, const model::Volume& volume, AutoextendPart part)
{
    if (const auto* thin_pool = std::get_if<model::ThinPoolLayout>(&volume.layout)) {
        if (part == AutoextendPart::Cow)
            return {};
        return {part == AutoextendPart::Data ? &thin_pool->data : &thin_pool->meta,
                model::effective_autoextend(pool, *thin_pool)};
    }
    if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout)) {
        if (part != AutoextendPart::Cow || snapshot->merge != model::SnapshotMergeState::None)
            return {};
        return {&snapshot->cow, model::effective_autoextend(pool, *snapshot)};
    }
    return {};
}

std::string part_words(AutoextendPart part, const std::string& name)
{
    switch (part) {
    case AutoextendPart::Data: return fmt::format("the data of thin pool '{}'", name);
    case AutoextendPart::Metadata: return fmt::format("the metadata of thin pool '{}'", name);
    case AutoextendPart::Cow: return fmt::format("the COW of snapshot '{}'", name);
    }
    return name;
}

Result<model::Pool> grown_part(const model::Pool& pool, const model::Uuid& volume, AutoextendPart part,
                               std::uint64_t extents)
{
    const auto bytes = extents * pool.extent_size;
    if (part == AutoextendPart::Metadata)
        return resize_thin_pool_metadata(pool, volume, bytes);
    return resize_volume(pool, volume, ResizeRequest{bytes});
}

}  // namespace

const char* part_name(AutoextendPart part)
{
    switch (part) {
    case AutoextendPart::Data: return "data";
    case AutoextendPart::Metadata: return "metadata";
    case AutoextendPart::Cow: return "cow";
    }
    return "data";
}

Result<AutoextendPlan> plan_autoextend(const model::Pool& pool, const std::vector<PartUsage>& usages)
{
    AutoextendPlan plan{pool, {}, {}};
    for (const auto& usage : usages) {
        const auto* volume = model::find_volume(plan.next, usage.volume);
        if (!volume)
            continue;
        const auto part = part_of(plan.next, *volume, usage.part);
        if (!part.map || part.policy.threshold_percent >= model::kAutoextendOff || usage.total == 0)
            continue;
        if (usage.used * 100 < std::uint64_t{part.policy.threshold_percent} * usage.total)
            continue;

        const auto name = volume->name;
        const auto used_percent = percent_of(usage.used, usage.total);
        const auto current = model::extent_count(*part.map);
        auto step = std::max<std::uint64_t>(1, (current * part.policy.step_percent + 99) / 100);
        const auto shortfall = [&](std::string message) {
            plan.shortfalls.push_back({usage.volume, name, usage.part, used_percent, std::move(message)});
        };
        const auto words = part_words(usage.part, name);
        if (usage.part == AutoextendPart::Metadata) {
            const auto limit = kMaxThinMetadataSize / pool.extent_size;
            if (current >= limit) {
                shortfall(fmt::format("{} is {}% used and cannot grow: it is at dm-thin's most, {} bytes", words,
                                      used_percent, kMaxThinMetadataSize));
                continue;
            }
            step = std::min(step, limit - current);
        }
        const auto free = allocator::free_extent_count(plan.next);
        if (free == 0) {
            shortfall(fmt::format("{} is {}% used and cannot grow: pool '{}' has no free extents left; add a member "
                                  "or free space before it fills",
                                  words, used_percent, pool.name));
            continue;
        }
        const auto taken = std::min(step, free);
        auto next = grown_part(plan.next, usage.volume, usage.part, current + taken);
        if (!next) {
            shortfall(fmt::format("{} is {}% used and cannot grow: {}", words, used_percent, next.error().message));
            continue;
        }
        plan.next = std::move(*next);
        plan.grown.push_back({usage.volume, name, usage.part, used_percent, current * pool.extent_size,
                              (current + taken) * pool.extent_size});
        if (taken < step)
            shortfall(fmt::format("{} is {}% used and grew by only {} of {} extents: pool '{}' has no free extents "
                                  "left; add a member or free space before it fills",
                                  words, used_percent, taken, step, pool.name));
    }
    return plan;
}

Result<model::Pool> with_pool_autoextend(const model::Pool& pool, bool snapshots, const model::AutoextendPolicy& policy)
{
    const auto what = snapshots ? "the pool's snapshot autoextend" : "the pool's thin pool autoextend";
    if (auto checked = model::check_autoextend_policy(policy, what); !checked)
        return std::unexpected(from_model(checked.error()));
    model::Pool next = pool;
    (snapshots ? next.snapshot_autoextend : next.thin_pool_autoextend) = policy;
    if (!snapshots)
        for (const auto& volume : pool.volumes)
            if (const auto* thin_pool = std::get_if<model::ThinPoolLayout>(&volume.layout); thin_pool && !thin_pool->autoextend)
                next = follow_autoextend_low_water(std::move(next), volume.uuid);
    return next;
}

Result<model::Pool> with_volume_autoextend(const model::Pool& pool, const model::Uuid& uuid,
                                           const std::optional<model::AutoextendPolicy>& policy)
{
    auto existing = existing_volume(pool, uuid);
    if (!existing)
        return std::unexpected(existing.error());
    const auto& name = (*existing)->name;
    if (policy)
        if (auto checked = model::check_autoextend_policy(*policy, fmt::format("'{}'", name)); !checked)
            return std::unexpected(from_model(checked.error()));
    model::Pool next = pool;
    auto* volume = model::find_volume(next, uuid);
    if (auto* thin_pool = std::get_if<model::ThinPoolLayout>(&volume->layout)) {
        thin_pool->autoextend = policy;
        return follow_autoextend_low_water(std::move(next), uuid);
    }
    if (auto* snapshot = std::get_if<model::SnapshotLayout>(&volume->layout))
        snapshot->autoextend = policy;
    else
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("'{}' is neither a thin pool nor a CoW snapshot: only those grow on their own", name));
    return next;
}

}  // namespace volumes::engine
