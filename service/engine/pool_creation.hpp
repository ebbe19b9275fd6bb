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
    // Erase filesystem, partition-table, RAID/LVM signatures and corrupt pool labels instead of
    // refusing the device. Devices that are open, mounted or held, members of a pool (a valid
    // label) and volumesd's own dm devices are refused either way.
    bool force = false;
    std::uint64_t extent_size = metadata::kDefaultExtentSize;
    // The machine-id recorded as the pool's owner (set by the engine, not by callers).
    std::string owner;
};

// Makes the devices members of a new pool with no volumes: admits every device before it
// writes to any (devices::AdmittedDevice: opened O_EXCL, unused, not volumesd's, no signature
// unless forced), then, through those same exclusive descriptors, erases what force allows,
// writes each member's metadata area and label and commits the first document (seq 1) on all
// of them. The pool keeps shared descriptors of its members, as after start-up.
Result<std::unique_ptr<ManagedPool>> create_pool_on(const std::string& name, const std::vector<std::string>& paths,
                                                    const CreatePoolOptions& options);

// A device becomes a new member of `pool` (AddMember): the same admission as create_pool_on,
// then its metadata area is formatted and its label written through the exclusive descriptor.
// Returned as the shared member the engine keeps; no document lists it yet, so until a commit
// does, start-up would take it for an intruder (abandon_new_member undoes it).
Result<OpenMember> prepare_new_member(const model::Pool& pool, const std::string& path, bool force);

// Erases the label prepare_new_member wrote, when no commit came to list the member.
Result<void> abandon_new_member(OpenMember& member);

}  // namespace volumes::engine
