#pragma once

#include <cstdint>

#include "metadata/uuid_of.hpp"
#include "service/model/pool_model.hpp"

namespace volumes::engine::testing {

using metadata::uuid_of;

constexpr std::uint64_t kExtent = 4 * 1024 * 1024;

// A pool "p" of `members` members with `extents` extents of 4 MiB each and no volumes.
inline model::Pool empty_pool(unsigned members = 3, std::uint64_t extents = 10)
{
    model::Pool pool{uuid_of(0xEE), "p", {}, kExtent, {}, {}};
    for (unsigned i = 0; i < members; ++i)
        pool.members.push_back({uuid_of(static_cast<std::uint8_t>(0xA0 + i)), extents});
    return pool;
}

}  // namespace volumes::engine::testing
