#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "service/engine/engine_error.hpp"

// What the kernel says about a thin pool and its thin volumes, in the engine's words.
namespace volumes::engine {

struct ThinPoolUsage {
    std::uint64_t transaction_id = 0;
    std::uint64_t data_used_blocks = 0;
    std::uint64_t data_total_blocks = 0;
    std::uint64_t metadata_used_blocks = 0;   // 4 KiB blocks
    std::uint64_t metadata_total_blocks = 0;  // 4 KiB blocks
    std::optional<std::uint64_t> held_root;   // the reserved metadata snapshot's block
    std::string mode;                         // "rw", "ro", "out_of_data_space", "fail"
    bool needs_check = false;
};

// The thin-pool target's status of device `dm_uuid`; nullopt when the device does not exist
// or carries another target.
Result<std::optional<ThinPoolUsage>> read_thin_pool_usage(const std::string& dm_uuid);

// The mapped sectors of a thin device (its status); nullopt when it does not exist.
Result<std::optional<std::uint64_t>> read_thin_mapped_sectors(const std::string& dm_uuid);

}  // namespace volumes::engine
