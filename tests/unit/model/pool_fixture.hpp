#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "metadata/uuid_of.hpp"
#include "service/model/pool_model.hpp"

// Consistent pools for the model tests, to be broken one thing at a time.
namespace volumes::model::testing {

using metadata::uuid_of;

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;
constexpr std::uint64_t GiB = 1024 * MiB;

// Members a, b and c, 100 extents of 4 MiB each.
inline const Uuid member_a = uuid_of(0xa1);
inline const Uuid member_b = uuid_of(0xb2);
inline const Uuid member_c = uuid_of(0xc3);

// One volume of every kind, all active unless said otherwise:
//   lin     linear, 15 extents: a 0..9, b 0..4
//   mirror  raid1, region 512 KiB, legs of 20 data extents on a, b and c; leg 2 tracked as "split"
//   split   the tracked image of mirror's slot 2
//   snap    snapshot of lin, chunk 64 KiB, cow a 31..34, merge none
//   msnap   snapshot of mirror, chunk 4 KiB, cow c 21..22, merge pending
//   tpool   thin pool, meta b 26, data b 27..66 (40 extents), block 64 KiB, next thin id 3
//   thin1   thin 1 of tpool, 1 GiB
//   thin2   thin 2 of tpool, a snapshot of thin 1, 1 GiB
//   idle    linear, inactive, c 30..32
Pool valid_pool();

// A volume of `pool` by name; throws std::out_of_range (a test failure) if there is none.
Volume& volume_named(Pool& pool, std::string_view name);

template <class Layout>
Layout& layout_of(Pool& pool, std::string_view name)
{
    return std::get<Layout>(volume_named(pool, name).layout);
}

}  // namespace volumes::model::testing
