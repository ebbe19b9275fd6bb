#include "service/engine/resize_changes.hpp"

#include <algorithm>
#include <string>
#include <variant>

#include <fmt/core.h>

#include "service/allocator/extent_allocator.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/thin_changes.hpp"

namespace volumes::engine {

namespace {

using model::ExtentMap;

constexpr std::uint64_t kSector = 512;

// `map` with `extra` more extents of the pool at its end; runs that continue the last one
// are joined to it.
Result<ExtentMap> grown(const model::Pool& pool, ExtentMap map, std::uint64_t extra)
{
    auto more = allocator::allocate_linear(pool, extra);
    if (!more)
        return std::unexpected(from_model(more.error()));
    for (const auto& run : *more) {
        if (!map.empty() && map.back().member == run.member && map.back().start + map.back().count == run.start)
            map.back().count += run.count;
        else
            map.push_back(run);
    }
    return map;
}

// The first `count` extents of `map`.
ExtentMap truncated(ExtentMap map, std::uint64_t count)
{
    ExtentMap kept;
    for (auto run : map) {
        if (count == 0)
            break;
        run.count = std::min(run.count, count);
        count -= run.count;
        kept.push_back(run);
    }
    return kept;
}

// An extent map resized to `extents`: grown from the pool's free extents, or cut at its end.
Result<ExtentMap> resized_map(const model::Pool& pool, const ExtentMap& map, std::uint64_t extents)
{
    const auto current = model::extent_count(map);
    if (extents > current)
        return grown(pool, map, extents - current);
    return truncated(map, extents);
}

// `map` grown to `extents` from the pool's free extents; NotSupported when that is smaller,
// since `what` (a COW, a thin pool's data or metadata) cannot shrink in the kernel.
Result<ExtentMap> grown_only(const model::Pool& pool, const ExtentMap& map, std::uint64_t extents,
                             const std::string& what)
{
    const auto current = model::extent_count(map);
    if (extents < current)
        return fail(ErrorCode::NotSupported, fmt::format("{} cannot shrink ({} to {} bytes)", what,
                                                         current * pool.extent_size, extents * pool.extent_size));
    return resized_map(pool, map, extents);
}

Result<void> check_shrink(const model::Volume& volume, std::uint64_t current, std::uint64_t next, bool allowed)
{
    if (next >= current || allowed)
        return {};
    return fail(ErrorCode::InvalidArgument,
                fmt::format("'{}' would shrink from {} to {} bytes, which destroys whatever lies past the new end; "
                            "pass allow_shrink to do it",
                            volume.name, current, next));
}

Result<model::Pool> with_layout(const model::Pool& pool, const model::Uuid& uuid, model::VolumeLayout layout)
{
    model::Pool next = pool;
    model::find_volume(next, uuid)->layout = std::move(layout);
    return next;
}

// dm-raid keeps the write-intent bitmap's region size across a reload and refuses a table
// whose length needs more than 2^21 regions of it.
constexpr unsigned kBitmapRegionBits = 21;

// Every leg's image grown on its own member, or cut at its end. dm-raid then changes the md
// array's size on the reload: a grow resyncs only the new region (from the old size,
// RT_FLAG_RS_GROW in dm-raid.c), a shrink records the smaller size in the superblocks.
Result<model::Pool> resized_raid1(const model::Pool& pool, const model::Volume& v, const model::Raid1Layout& raid,
                                  std::uint64_t extents, bool allow_shrink)
{
    const auto current = model::extent_count(raid.legs.front().data);
    if (auto shrink = check_shrink(v, current * pool.extent_size, extents * pool.extent_size, allow_shrink); !shrink)
        return std::unexpected(shrink.error());
    if (extents == current)
        return pool;
    for (const auto& leg : raid.legs)
        if (leg.tracked_image) {
            const auto* image = model::find_volume(pool, *leg.tracked_image);
            return fail(ErrorCode::Busy,
                        fmt::format("a leg of raid1 volume '{}' is split off as tracked image '{}': merge it back "
                                    "(or split it off for good) before resizing the array",
                                    v.name, image ? image->name : leg.tracked_image->to_string()));
        }
    auto layout = raid;
    if (extents < current) {
        for (auto& leg : layout.legs)
            leg.data = truncated(leg.data, extents);
        return with_layout(pool, v.uuid, std::move(layout));
    }
    const auto sectors = extents * pool.extent_size / kSector;
    if ((sectors >> kBitmapRegionBits) > raid.region_size / kSector)
        return fail(ErrorCode::NotSupported,
                    fmt::format("raid1 volume '{}' can grow to at most {} bytes: its write-intent bitmap's region "
                                "size {} covers at most 2^21 regions",
                                v.name, raid.region_size << kBitmapRegionBits, raid.region_size));
    auto data = allocator::grow_raid1_legs(pool, raid.legs, extents - current);
    if (!data && data.error().code == model::ErrorCode::NoSpace)
        return fail(ErrorCode::NoSpace,
                    fmt::format("raid1 volume '{}' cannot grow to {} bytes, each leg on its own member: {}", v.name,
                                extents * pool.extent_size, data.error().message));
    if (!data)
        return std::unexpected(from_model(data.error()));
    for (std::size_t slot = 0; slot < layout.legs.size(); ++slot)
        layout.legs[slot].data = std::move((*data)[slot]);
    return with_layout(pool, v.uuid, std::move(layout));
}

}  // namespace

std::uint64_t rounded_size(const model::Pool& pool, const model::Volume& volume, std::uint64_t size)
{
    if (std::holds_alternative<model::ThinLayout>(volume.layout))
        return (size + kSector - 1) / kSector * kSector;
    return (size + pool.extent_size - 1) / pool.extent_size * pool.extent_size;
}

Result<model::Pool> resize_volume(const model::Pool& pool, const model::Uuid& uuid, const ResizeRequest& request)
{
    auto volume = existing_volume(pool, uuid);
    if (!volume)
        return std::unexpected(volume.error());
    const model::Volume& v = **volume;
    if (request.size == 0)
        return fail(ErrorCode::InvalidArgument, "a volume's size must be above 0");
    const auto size = rounded_size(pool, v, request.size);
    const auto extents = size / pool.extent_size;

    const bool has_snapshots = std::any_of(pool.volumes.begin(), pool.volumes.end(), [&](const model::Volume& other) {
        const auto* snapshot = std::get_if<model::SnapshotLayout>(&other.layout);
        return snapshot && snapshot->origin == uuid;
    });
    if (has_snapshots)
        return fail(ErrorCode::NotSupported,
                    fmt::format("'{}' has CoW snapshots, which have its size: remove or merge them first", v.name));
    if (const auto* linear = std::get_if<model::LinearLayout>(&v.layout)) {
        const auto current = model::extent_count(linear->data);
        if (auto shrink = check_shrink(v, current * pool.extent_size, size, request.allow_shrink); !shrink)
            return std::unexpected(shrink.error());
        auto data = resized_map(pool, linear->data, extents);
        if (!data)
            return std::unexpected(data.error());
        return with_layout(pool, uuid, model::LinearLayout{std::move(*data)});
    }
    if (const auto* thin = std::get_if<model::ThinLayout>(&v.layout)) {
        if (auto shrink = check_shrink(v, thin->virtual_size, size, request.allow_shrink); !shrink)
            return std::unexpected(shrink.error());
        auto layout = *thin;
        layout.virtual_size = size;
        return with_layout(pool, uuid, layout);
    }
    if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&v.layout)) {
        auto cow = grown_only(pool, snapshot->cow, extents, fmt::format("the COW of snapshot '{}'", v.name));
        if (!cow)
            return std::unexpected(cow.error());
        if (snapshot->merge != model::SnapshotMergeState::None)
            return fail(ErrorCode::Busy, fmt::format("snapshot '{}' is being merged into its origin", v.name));
        auto layout = *snapshot;
        layout.cow = std::move(*cow);
        return with_layout(pool, uuid, std::move(layout));
    }
    if (const auto* thin_pool = std::get_if<model::ThinPoolLayout>(&v.layout)) {
        auto data = grown_only(pool, thin_pool->data, extents, fmt::format("the data of thin pool '{}'", v.name));
        if (!data)
            return std::unexpected(data.error());
        auto layout = *thin_pool;
        layout.data = std::move(*data);
        auto next = with_layout(pool, uuid, std::move(layout));
        if (!next)
            return next;
        return follow_autoextend_low_water(std::move(*next), uuid);
    }
    if (const auto* raid = std::get_if<model::Raid1Layout>(&v.layout))
        return resized_raid1(pool, v, *raid, extents, request.allow_shrink);
    return fail(ErrorCode::InvalidArgument,
                fmt::format("'{}' is a tracked image: it has the size of its array's legs", v.name));
}

Result<model::Pool> resize_thin_pool_metadata(const model::Pool& pool, const model::Uuid& uuid,
                                              std::uint64_t metadata_size)
{
    auto volume = existing_volume(pool, uuid);
    if (!volume)
        return std::unexpected(volume.error());
    const auto* thin_pool = std::get_if<model::ThinPoolLayout>(&(*volume)->layout);
    if (!thin_pool)
        return fail(ErrorCode::InvalidArgument, fmt::format("'{}' is not a thin pool", (*volume)->name));
    if (metadata_size > kMaxThinMetadataSize)
        return fail(ErrorCode::InvalidArgument, fmt::format("a thin pool's metadata is at most {} bytes, not {}",
                                                            kMaxThinMetadataSize, metadata_size));
    const auto extents = (metadata_size + pool.extent_size - 1) / pool.extent_size;
    auto meta = grown_only(pool, thin_pool->meta, extents,
                           fmt::format("the metadata of thin pool '{}'", (*volume)->name));
    if (!meta)
        return std::unexpected(meta.error());
    auto layout = *thin_pool;
    layout.meta = std::move(*meta);
    return with_layout(pool, uuid, std::move(layout));
}

}  // namespace volumes::engine
