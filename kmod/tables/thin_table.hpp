#pragma once

#include <cstdint>
#include <optional>

#include "kmod/device_number.hpp"
#include "kmod/error.hpp"
#include "kmod/table_line.hpp"

namespace volumes::kmod {

inline constexpr std::uint32_t max_thin_device_id = (1u << 24) - 1;  // MAX_DEV_ID in dm-thin.c

// A thin table (thin-provisioning.rst, dm-thin.c thin_ctr).
struct ThinTable {
    std::uint64_t length = 0;  // the thin volume's virtual size
    DeviceNumber pool;
    std::uint32_t device_id = 0;  // 24 bits
    std::optional<DeviceNumber> external_origin;  // read-only origin for unprovisioned blocks
};

// "0 <length> thin <pool> <dev_id> [<external_origin>]"
Result<TableLine> thin_table_line(const ThinTable& table);

}  // namespace volumes::kmod
