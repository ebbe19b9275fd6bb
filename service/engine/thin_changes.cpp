#include "service/engine/thin_changes.hpp"

#include <algorithm>
#include <utility>

#include <fmt/core.h>

#include "kmod/messages/thin_pool_messages.hpp"
#include "service/allocator/extent_allocator.hpp"
#include "service/engine/decision_checks.hpp"
#include "service/engine/error_translation.hpp"
#include "service/model/autoextend_policy.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::engine {

namespace {

using model::ThinLayout;
using model::ThinPoolLayout;

constexpr std::uint32_t kBlockSizeUnit = 64 * 1024;
constexpr std::uint32_t kMaxBlockSize = 1024 * 1024 * 1024;

Result<void> check_thin_pool_request(const ThinPoolRequest& request)
{
    if (request.block_size == 0 || request.block_size % kBlockSizeUnit != 0 || request.block_size > kMaxBlockSize)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("block_size {} is not a multiple of 64 KiB up to 1 GiB", request.block_size));
    if (request.metadata_size < kMinThinMetadataSize || request.metadata_size > kMaxThinMetadataSize)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("metadata_size {} is not from 2 MiB to 16 GiB", request.metadata_size));
    if (request.data_size == 0)
        return fail(ErrorCode::InvalidArgument, "a thin pool's data size must be above 0");
    return {};
}

std::vector<Uuid> members_of(const model::ExtentMap& map)
{
    std::vector<Uuid> members;
    for (const auto& run : map)
        members.push_back(run.member);
    return members;
}

Result<const model::Volume*> thin_volume(const Pool& pool, const Uuid& uuid)
{
    auto volume = existing_volume(pool, uuid);
    if (!volume)
        return std::unexpected(volume.error());
    if (!std::holds_alternative<ThinLayout>((*volume)->layout))
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a thin volume", (*volume)->name));
    return volume;
}

Result<model::Volume*> pool_of(Pool& pool, const model::Volume& thin)
{
    auto* pool_volume = model::find_volume(pool, std::get<ThinLayout>(thin.layout).pool);
    if (!pool_volume || !std::holds_alternative<ThinPoolLayout>(pool_volume->layout))
        return fail(ErrorCode::Failed, fmt::format("the thin pool of thin volume '{}' is missing", thin.name));
    return pool_volume;
}

Result<std::uint32_t> next_thin_id(const model::Volume& pool_volume)
{
    const auto id = std::get<ThinPoolLayout>(pool_volume.layout).next_thin_id;
    if (id >= kmod::thin_device_id_limit)
        return fail(ErrorCode::NoSpace, fmt::format("thin pool '{}' has used every thin id below 2^24; no thin "
                                                    "volume can be created in it any more",
                                                    pool_volume.name));
    return id;
}

// The change's messages end with the transaction id moving on, in the next model as well.
Result<ThinChange> advance_transaction(Pool next, const Uuid& thin_pool, kmod::Result<std::string> message)
{
    if (!message)
        return std::unexpected(from_kmod(message.error()));
    auto& layout = std::get<ThinPoolLayout>(model::find_volume(next, thin_pool)->layout);
    auto set_transaction = kmod::set_transaction_id_message(layout.transaction_id, layout.transaction_id + 1);
    if (!set_transaction)
        return std::unexpected(from_kmod(set_transaction.error()));
    ++layout.transaction_id;
    return ThinChange{std::move(next), {thin_pool, {std::move(*message), std::move(*set_transaction)}}};
}

}  // namespace

std::uint64_t low_water_at_threshold(std::uint64_t data_blocks, std::uint32_t threshold_percent)
{
    const auto free_percent = threshold_percent >= 100 ? 0 : 100 - threshold_percent;
    return std::max<std::uint64_t>(1, data_blocks * free_percent / 100);
}

Pool follow_autoextend_low_water(Pool pool, const Uuid& thin_pool)
{
    auto* volume = model::find_volume(pool, thin_pool);
    auto* layout = volume ? std::get_if<ThinPoolLayout>(&volume->layout) : nullptr;
    if (!layout || layout->block_size == 0)
        return pool;
    const auto policy = model::effective_autoextend(pool, *layout);
    if (policy.threshold_percent >= model::kAutoextendOff)
        return pool;
    const auto data_blocks = model::extent_count(layout->data) * pool.extent_size / layout->block_size;
    layout->low_water_blocks = low_water_at_threshold(data_blocks, policy.threshold_percent);
    return pool;
}

Result<Pool> add_thin_pool(const Pool& pool, const ThinPoolRequest& request, const Uuid& uuid)
{
    if (auto checked = check_new_name(pool, request.name); !checked)
        return std::unexpected(checked.error());
    if (auto checked = check_thin_pool_request(request); !checked)
        return std::unexpected(checked.error());
    auto data_extents = extents_for(pool, request.data_size);
    if (!data_extents)
        return std::unexpected(data_extents.error());
    const auto data_blocks = *data_extents * pool.extent_size / request.block_size;
    if (data_blocks == 0)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("a thin pool's data ({} bytes) must hold at least one block of {} bytes",
                                *data_extents * pool.extent_size, request.block_size));
    if (request.low_water_blocks != 0 && request.low_water_blocks >= data_blocks)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("a low-water mark of {} blocks would always be reached: the thin pool's data holds {} "
                                "blocks; give fewer",
                                request.low_water_blocks, data_blocks));
    auto meta_extents = extents_for(pool, request.metadata_size);
    if (!meta_extents)
        return std::unexpected(meta_extents.error());

    auto data = allocator::allocate_linear(pool, *data_extents);
    if (!data)
        return std::unexpected(from_model(data.error()));
    Pool next = pool;
    ThinPoolLayout layout;
    layout.data = std::move(*data);
    layout.block_size = request.block_size;
    layout.low_water_blocks =
        request.low_water_blocks != 0 ? request.low_water_blocks : std::max<std::uint64_t>(1, data_blocks / 10);
    layout.error_if_no_space = request.error_if_no_space;
    next.volumes.push_back({uuid, request.name, true, layout});
    // Metadata on another member than the data where one has room, as lvmthin(7) recommends.
    auto meta = allocator::allocate_linear(next, *meta_extents, members_of(layout.data));
    if (!meta)
        return std::unexpected(from_model(meta.error()));
    std::get<ThinPoolLayout>(next.volumes.back().layout).meta = std::move(*meta);
    next = follow_autoextend_low_water(std::move(next), uuid);
    // A caller's own mark above the derived one still counts: an earlier event only reads sooner.
    auto& added = std::get<ThinPoolLayout>(model::find_volume(next, uuid)->layout);
    added.low_water_blocks = std::max(added.low_water_blocks, request.low_water_blocks);
    return next;
}

Result<ThinChange> add_thin(const Pool& pool, const Uuid& thin_pool, const std::string& name,
                            std::uint64_t virtual_size, const Uuid& uuid)
{
    auto pool_volume = existing_volume(pool, thin_pool);
    if (!pool_volume)
        return std::unexpected(pool_volume.error());
    if (!std::holds_alternative<ThinPoolLayout>((*pool_volume)->layout))
        return fail(ErrorCode::InvalidArgument, fmt::format("volume '{}' is not a thin pool", (*pool_volume)->name));
    if (auto checked = check_new_name(pool, name); !checked)
        return std::unexpected(checked.error());
    if (virtual_size == 0 || virtual_size % 512 != 0)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("a thin volume's size must be a positive multiple of 512 bytes, not {}", virtual_size));
    auto id = next_thin_id(**pool_volume);
    if (!id)
        return std::unexpected(id.error());

    Pool next = pool;
    auto* next_pool = model::find_volume(next, thin_pool);
    // The new thin is active like every new volume, and messages need a live pool.
    next_pool->active = true;
    ++std::get<ThinPoolLayout>(next_pool->layout).next_thin_id;
    next.volumes.push_back({uuid, name, true, ThinLayout{thin_pool, *id, std::nullopt, virtual_size}});
    return advance_transaction(std::move(next), thin_pool, kmod::create_thin_message(*id));
}

Result<ThinChange> add_thin_snapshot(const Pool& pool, const Uuid& origin, const std::string& name,
                                     const Uuid& uuid)
{
    auto origin_volume = thin_volume(pool, origin);
    if (!origin_volume)
        return std::unexpected(origin_volume.error());
    const auto& origin_thin = std::get<ThinLayout>((*origin_volume)->layout);
    if (auto checked = check_new_name(pool, name); !checked)
        return std::unexpected(checked.error());

    Pool next = pool;
    auto pool_volume = pool_of(next, **origin_volume);
    if (!pool_volume)
        return std::unexpected(pool_volume.error());
    auto id = next_thin_id(**pool_volume);
    if (!id)
        return std::unexpected(id.error());
    ++std::get<ThinPoolLayout>((*pool_volume)->layout).next_thin_id;
    next.volumes.push_back({uuid, name, (*origin_volume)->active,
                            ThinLayout{origin_thin.pool, *id, origin_thin.thin_id, origin_thin.virtual_size}});
    return advance_transaction(std::move(next), origin_thin.pool,
                               kmod::create_snap_message(*id, origin_thin.thin_id));
}

Result<ThinChange> remove_thin(const Pool& pool, const Uuid& thin)
{
    auto volume = thin_volume(pool, thin);
    if (!volume)
        return std::unexpected(volume.error());
    const auto& removed = std::get<ThinLayout>((*volume)->layout);

    Pool next = pool;
    if (auto pool_volume = pool_of(next, **volume); !pool_volume)
        return std::unexpected(pool_volume.error());
    std::erase_if(next.volumes, [&](const model::Volume& v) { return v.uuid == thin; });
    for (auto& snapshot : next.volumes)
        if (auto* other = std::get_if<ThinLayout>(&snapshot.layout);
            other && other->pool == removed.pool && other->origin_thin_id == removed.thin_id)
            other->origin_thin_id.reset();
    return advance_transaction(std::move(next), removed.pool, kmod::delete_thin_message(removed.thin_id));
}

}  // namespace volumes::engine
