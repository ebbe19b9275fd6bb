#pragma once

#include <vector>

#include "service/allocator/extent_allocator.hpp"

namespace volumes::allocator {

// The members of `free` by free extents, most first, ties kept in the pool's member order.
std::vector<const MemberFree*> most_free_first(const std::vector<MemberFree>& free);

bool contains(const std::vector<Uuid>& uuids, const Uuid& uuid);

}  // namespace volumes::allocator
