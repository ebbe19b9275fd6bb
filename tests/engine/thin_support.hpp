#pragma once

// Helpers shared by the dm-thin guest tests (thin_test.cpp, thin_fault_test.cpp).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "service/engine/engine.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::test {

inline model::Volume volume_in_model(const engine::Engine& engine, const std::string& pool, const std::string& name)
{
    auto current = engine.model(pool);
    if (!current)
        throw std::runtime_error("model: " + current.error().message);
    const auto* volume = model::find_volume(*current, name);
    if (!volume)
        throw std::runtime_error("the model has no volume " + name);
    return *volume;
}

// The committed thin pool layout of `thin_pool`.
inline model::ThinPoolLayout thin_pool_layout(const engine::Engine& engine, const std::string& pool,
                                              const std::string& thin_pool)
{
    const auto volume = volume_in_model(engine, pool, thin_pool);
    const auto* layout = std::get_if<model::ThinPoolLayout>(&volume.layout);
    if (!layout)
        throw std::runtime_error(thin_pool + " is not a thin pool");
    return *layout;
}

inline model::ThinLayout thin_layout(const engine::Engine& engine, const std::string& pool, const std::string& thin)
{
    const auto volume = volume_in_model(engine, pool, thin);
    const auto* layout = std::get_if<model::ThinLayout>(&volume.layout);
    if (!layout)
        throw std::runtime_error(thin + " is not a thin volume");
    return *layout;
}

// The kernel's view of an active thin pool; throws when it cannot be read or is inactive.
inline engine::ThinPoolUsage live_thin_pool_usage(const engine::Engine& engine, const std::string& pool,
                                                  const std::string& thin_pool)
{
    auto usage = engine.thin_pool_usage(pool, thin_pool);
    if (!usage)
        throw std::runtime_error("thin_pool_usage: " + usage.error().message);
    if (!*usage)
        throw std::runtime_error("thin pool " + thin_pool + " has no live thin-pool device");
    return **usage;
}

}  // namespace volumes::test
