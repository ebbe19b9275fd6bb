#include "service/engine/extent_zeroing.hpp"

#include <algorithm>
#include <vector>

#include <fmt/core.h>

#include "service/engine/member_zeroing.hpp"

namespace volumes::engine {

namespace {

// Zeroes the first `bytes` of each run (whole runs when `bytes` is 0), then flushes each member.
Result<void> zero_runs(ManagedPool& pool, const std::vector<const model::ExtentRun*>& runs, std::uint64_t bytes)
{
    std::vector<const OpenMember*> touched;
    for (const auto* run : runs) {
        const auto member = std::find_if(pool.members.begin(), pool.members.end(), [&](const OpenMember& m) {
            return m.area.label().member_uuid == run->member;
        });
        if (member == pool.members.end())
            return fail(ErrorCode::Failed, fmt::format("member {} is not open", run->member.to_string()));
        const auto& label = member->area.label();
        const auto run_bytes = run->count * label.extent_size;
        if (auto zeroed = zero_member_bytes(*member, label.data_start + run->start * label.extent_size,
                                            bytes == 0 ? run_bytes : std::min(bytes, run_bytes));
            !zeroed)
            return zeroed;
        if (std::find(touched.begin(), touched.end(), &*member) == touched.end())
            touched.push_back(&*member);
    }
    for (const auto* member : touched)
        if (auto flushed = flush_member(*member); !flushed)
            return flushed;
    return {};
}

}  // namespace

Result<void> zero_raid1_metadata(ManagedPool& pool, const model::Volume& volume)
{
    const auto* raid = std::get_if<model::Raid1Layout>(&volume.layout);
    if (!raid)
        return {};
    std::vector<const model::ExtentRun*> runs;
    for (const auto& leg : raid->legs)
        for (const auto& run : leg.meta)
            runs.push_back(&run);
    return zero_runs(pool, runs, 0);
}

Result<void> zero_rebuilding_raid1_metadata(ManagedPool& pool, const model::Volume& volume)
{
    const auto* raid = std::get_if<model::Raid1Layout>(&volume.layout);
    if (!raid)
        return {};
    std::vector<const model::ExtentRun*> runs;
    for (const auto& leg : raid->legs)
        if (leg.rebuilding)
            for (const auto& run : leg.meta)
                runs.push_back(&run);
    return zero_runs(pool, runs, 0);
}

Result<void> zero_snapshot_header(ManagedPool& pool, const model::Volume& volume)
{
    const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout);
    if (!snapshot || snapshot->cow.empty())
        return {};
    return zero_runs(pool, {&snapshot->cow.front()}, snapshot->chunk_size);
}

Result<void> zero_thin_pool_superblock(ManagedPool& pool, const model::Volume& volume)
{
    const auto* thin_pool = std::get_if<model::ThinPoolLayout>(&volume.layout);
    if (!thin_pool || thin_pool->meta.empty())
        return {};
    constexpr std::uint64_t superblock_bytes = 4096;
    return zero_runs(pool, {&thin_pool->meta.front()}, superblock_bytes);
}

}  // namespace volumes::engine
