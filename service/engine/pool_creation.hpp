#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/engine/managed_pool.hpp"
#include "service/metadata/format.hpp"

namespace volumes::engine {

struct CreatePoolOptions {
    // Erase filesystem, partition-table, RAID/LVM and pool signatures instead of refusing the
    // device. Devices that are open or mounted are refused either way.
    bool force = false;
    std::uint64_t extent_size = metadata::kDefaultExtentSize;
    // The machine-id recorded as the pool's owner (set by the engine, not by callers).
    std::string owner;
};

// Makes the devices members of a new pool with no volumes: checks every device before it
// writes to any (unused, no signature unless forced), then writes each member's label and
// metadata area and commits the first document (seq 1) on all of them.
Result<std::unique_ptr<ManagedPool>> create_pool_on(const std::string& name, const std::vector<std::string>& paths,
                                                    const CreatePoolOptions& options);

}  // namespace volumes::engine
