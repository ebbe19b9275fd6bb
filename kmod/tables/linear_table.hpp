#pragma once

#include <cstdint>
#include <span>

#include "kmod/device_number.hpp"
#include "kmod/error.hpp"
#include "kmod/table_line.hpp"

namespace volumes::kmod {

// One extent of a linear mapping: `length` sectors of `device` starting at sector `offset`.
struct LinearSegment {
    DeviceNumber device;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

// One "linear <major:minor> <offset>" line per segment, laid end to end from sector 0.
Result<Table> linear_table(std::span<const LinearSegment> segments);

}  // namespace volumes::kmod
