#pragma once

#include <cstdint>

#include "kmod/device_number.hpp"
#include "kmod/error.hpp"
#include "kmod/table_line.hpp"

namespace volumes::kmod {

// How a thin pool handles discards; the status line reports the same three modes.
enum class ThinPoolDiscards {
    Passdown,    // default: process discards and pass them to the data device
    NoPassdown,  // "no_discard_passdown": process them, do not pass them down
    Ignore,      // "ignore_discard": discards are disabled
};

// Data block sizes thin-pool accepts, in sectors (64 KiB to 1 GiB, multiples of 64 KiB).
inline constexpr std::uint32_t min_thin_pool_block_sectors = 128;
inline constexpr std::uint32_t max_thin_pool_block_sectors = 2097152;

// A thin-pool table (thin-provisioning.rst, dm-thin.c pool_ctr).
struct ThinPoolTable {
    std::uint64_t length = 0;
    DeviceNumber metadata;
    DeviceNumber data;
    std::uint32_t block_size = 0;     // data block size, sectors
    std::uint64_t low_water_mark = 0;  // free data blocks below which the pool raises an event
    bool skip_block_zeroing = false;
    ThinPoolDiscards discards = ThinPoolDiscards::Passdown;
    // Only for reloading an existing pool: the kernel refuses it on a pool's first load.
    bool read_only = false;
    bool error_if_no_space = false;  // default: queue I/O when out of data space
};

// "0 <length> thin-pool <meta> <data> <block_size> <low_water_mark> <#features> [<features>...]".
// The feature count is always written, 0 included, as lvm and the kernel's own table do.
Result<TableLine> thin_pool_table_line(const ThinPoolTable& table);

}  // namespace volumes::kmod
