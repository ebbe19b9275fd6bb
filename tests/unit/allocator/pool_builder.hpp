#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "service/model/pool_model.hpp"

// Pools for the allocator tests: members "m1", "m2", ... with uuids 00..01, 00..02, ...
namespace volumes::allocator::testing {

using model::ExtentMap;
using model::ExtentRun;
using model::Pool;
using model::Uuid;

inline Uuid uuid_of(std::uint8_t n, std::uint8_t kind = 0)
{
    Uuid uuid;
    uuid.bytes[14] = kind;
    uuid.bytes[15] = n;
    return uuid;
}

// Member n of a test pool.
inline Uuid m(std::uint8_t n)
{
    return uuid_of(n);
}

inline ExtentRun run(std::uint8_t member, std::uint64_t start, std::uint64_t count)
{
    return {m(member), start, count};
}

inline Pool pool_of(const std::vector<std::uint64_t>& member_extents)
{
    Pool pool;
    pool.uuid = uuid_of(0xff, 0xff);
    pool.name = "p1";
    pool.extent_size = 4 << 20;
    for (std::size_t i = 0; i < member_extents.size(); ++i)
        pool.members.push_back({m(static_cast<std::uint8_t>(i + 1)), member_extents[i]});
    return pool;
}

inline Uuid add_volume(Pool& pool, model::VolumeLayout layout)
{
    const auto n = static_cast<std::uint8_t>(pool.volumes.size() + 1);
    const auto uuid = uuid_of(n, 1);
    pool.volumes.push_back({uuid, "lv" + std::to_string(n), true, std::move(layout)});
    return uuid;
}

inline Uuid add_linear(Pool& pool, ExtentMap data)
{
    return add_volume(pool, model::LinearLayout{std::move(data)});
}

inline model::Raid1Leg leg(ExtentRun meta, ExtentRun data)
{
    return {{meta}, {data}, std::nullopt};
}

inline model::Raid1Layout raid1(std::vector<model::Raid1Leg> legs)
{
    return {1 << 20, std::move(legs)};
}

}  // namespace volumes::allocator::testing
