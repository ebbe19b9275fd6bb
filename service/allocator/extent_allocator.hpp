#pragma once

#include <cstdint>
#include <vector>

#include "service/model/model_error.hpp"
#include "service/model/pool_model.hpp"

// Where new sub-volumes go. Pure: it reads the pool model and returns extent maps; the caller
// puts them into the next pool document.
namespace volumes::allocator {

using model::ExtentMap;
using model::Pool;
using model::Uuid;

// The extents of a member that no volume of the pool uses, as runs in ascending order; none on
// a member marked failed, so nothing new ever goes there.
struct MemberFree {
    Uuid member;
    ExtentMap runs;
    std::uint64_t extents() const;
};
// One entry per member, in the pool's member order.
std::vector<MemberFree> free_extents(const Pool& pool);
std::uint64_t free_extent_count(const Pool& pool);

// `count` extents for one linear mapping, from the members with the most free extents first,
// each member's runs in ascending order, adjacent runs merged. Members listed in `avoid` are
// used only if the others cannot hold it all. InvalidArgument for count 0; NoSpace naming the
// extents asked for and the extents free.
model::Result<ExtentMap> allocate_linear(const Pool& pool, std::uint64_t count, const std::vector<Uuid>& avoid = {});

// A new raid1 leg: one metadata extent and `data_extents` data extents, both on one member.
struct LegAllocation {
    Uuid member;
    ExtentMap meta;
    ExtentMap data;
};

// `legs` legs, each on its own member, none of them on a member in `exclude` (the members of
// an array's existing legs when one is added). Members with the most free extents first.
// InvalidArgument for 0 legs or 0 data extents; NoSpace saying how many members with how many
// free extents each are needed and how many the pool has, e.g. "raid1 with 3 images of 25
// extents needs 3 members with 26 free extents each; 2 have that many (a: 30, b: 28, c: 10)".
model::Result<std::vector<LegAllocation>> allocate_raid1_legs(const Pool& pool, std::uint32_t legs,
                                                              std::uint64_t data_extents,
                                                              const std::vector<Uuid>& exclude = {});

// The data maps of an array's legs, each grown by `extra` extents on the member its leg lives
// on (its metadata's): no two legs of an array may share a member, so a leg cannot borrow
// another member's room. In leg order. A leg's map keeps its runs and gains the member's free
// runs, the one right after its end first, then the others in ascending order; adjacent runs
// are joined. InvalidArgument for 0 extents or a leg without metadata; NoSpace naming every
// leg whose member lacks room and by how many extents, e.g. "leg 1 needs 5 more extents on
// member <uuid>, which has 2 free".
model::Result<std::vector<ExtentMap>> grow_raid1_legs(const Pool& pool, const std::vector<model::Raid1Leg>& legs,
                                                      std::uint64_t extra);

}  // namespace volumes::allocator
