#pragma once

#include <vector>

#include "kmod/tables/raid1_table.hpp"
#include "pool_fixture.hpp"

// Volume "lv1": a 1 GiB raid1 of two legs, each an rmeta and an rimage linear, leg 0 on sdb and
// leg 1 on sdc. Device numbers: rmeta_0 253:0, rimage_0 253:1, rmeta_1 253:2, rimage_1 253:3,
// lv1 253:4.
namespace volumes::planner::testing {

inline constexpr std::uint64_t raid1_length = 2097152;
inline constexpr std::uint64_t rmeta_length = 8192;

inline kmod::Table raid1(std::vector<kmod::Raid1Leg> legs)
{
    kmod::Raid1Table raid;
    raid.length = raid1_length;
    raid.region_size = 1024;
    raid.legs = std::move(legs);
    return table(kmod::raid1_table_line(raid));
}

inline kmod::Raid1Leg leg(std::uint32_t meta_minor, std::uint32_t data_minor)
{
    return kmod::Raid1Leg{dm(meta_minor), dm(data_minor)};
}

inline DesiredDevice rmeta(int slot)
{
    return desired(slot == 0 ? "lv1_rmeta_0" : "lv1_rmeta_1", linear(slot == 0 ? sdb : sdc, 2048, rmeta_length));
}

inline DesiredDevice rimage(int slot)
{
    return desired(slot == 0 ? "lv1_rimage_0" : "lv1_rimage_1", linear(slot == 0 ? sdb : sdc, 10240, raid1_length));
}

// The top listed first, so plans show the planner putting children first on its own.
inline std::vector<DesiredDevice> raid1_set()
{
    return {
        desired("lv1", raid1({leg(0, 1), leg(2, 3)}), {"lv1_rmeta_0", "lv1_rimage_0", "lv1_rmeta_1", "lv1_rimage_1"}),
        rmeta(0),
        rimage(0),
        rmeta(1),
        rimage(1),
    };
}

}  // namespace volumes::planner::testing
