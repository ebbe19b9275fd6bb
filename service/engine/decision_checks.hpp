#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include "service/engine/engine_error.hpp"
#include "service/engine/error_translation.hpp"
#include "service/model/names.hpp"
#include "service/model/pool_model.hpp"
#include "service/model/volume_lookup.hpp"

// Checks the engine's pure decisions (volume_changes, thin_changes) share.
namespace volumes::engine {

// Whole extents for `size` bytes; InvalidArgument for 0.
inline Result<std::uint64_t> extents_for(const model::Pool& pool, std::uint64_t size)
{
    if (size == 0)
        return fail(ErrorCode::InvalidArgument, "a volume's size must be above 0");
    return (size + pool.extent_size - 1) / pool.extent_size;
}

// A valid volume name no volume of the pool has yet.
inline Result<void> check_new_name(const model::Pool& pool, const std::string& name)
{
    if (auto checked = model::check_volume_name(name); !checked)
        return std::unexpected(from_model(checked.error()));
    if (auto fits = model::check_dm_names_fit(pool.name, name); !fits)
        return std::unexpected(from_model(fits.error()));
    if (model::find_volume(pool, name))
        return fail(ErrorCode::AlreadyExists, fmt::format("pool '{}' already has a volume '{}'", pool.name, name));
    return {};
}

// A raid1's write-intent bitmap region: a power of two from 4 KiB up to the image size.
inline Result<void> check_region_size(std::uint64_t region_size, std::uint64_t image_bytes)
{
    if (!std::has_single_bit(region_size) || region_size < 4096 || region_size > image_bytes)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("the region size must be a power of two from 4 KiB up to the image size ({} bytes); "
                                "{} is not",
                                image_bytes, region_size));
    return {};
}

inline Result<const model::Volume*> volume_named(const model::Pool& pool, std::string_view name)
{
    const auto* volume = model::find_volume(pool, name);
    if (!volume)
        return fail(ErrorCode::NotFound, fmt::format("pool '{}' has no volume '{}'", pool.name, name));
    return volume;
}

inline Result<const model::Volume*> existing_volume(const model::Pool& pool, const model::Uuid& uuid)
{
    const auto* volume = model::find_volume(pool, uuid);
    if (!volume)
        return fail(ErrorCode::NotFound, fmt::format("pool '{}' has no volume {}", pool.name, uuid.to_string()));
    return volume;
}

}  // namespace volumes::engine
