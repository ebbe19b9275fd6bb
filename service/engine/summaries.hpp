#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "service/engine/managed_pool.hpp"

namespace volumes::engine {

struct MemberSummary {
    model::Uuid uuid;
    std::string path;  // empty when missing
    std::uint64_t extents = 0;
    bool present = false;
    // Marked failed in the metadata (model::Member::failed): not written, its raid1 legs run as
    // empty slots, until it is re-added. A failed member can be present or not.
    bool failed = false;
};

struct PoolSummary {
    model::Uuid uuid;
    std::string name;
    std::uint64_t extent_size = 0;
    std::uint64_t size = 0;  // bytes of all members' extents
    std::uint64_t free = 0;  // bytes of extents no volume uses
    std::vector<MemberSummary> members;
    bool complete = true;  // every member found (a pool that is not still accepts changes)
    std::vector<std::string> problems;
    std::string owner;    // machine-id, empty when its document names none
    std::string foreign;  // why it is not this machine's; empty when it is
};

struct VolumeSummary {
    model::Uuid uuid;
    std::string name;
    std::string pool;
    std::string kind;  // "linear", "raid1", "tracked_image", "snapshot", "thin_pool", "thin"
    std::uint64_t size = 0;
    bool active = false;
    bool read_only = false;
    std::string dm_name;      // of the visible device
    std::string device_path;  // "/dev/mapper/<dm_name>"
    // Why the volume cannot run on the members at hand, active or not (extents on a missing
    // member, or it stacks on such a volume); empty when it can.
    std::string unavailable;
};

// Volume name → why it cannot run on the members at hand (graph::unavailable_volumes).
using UnavailableVolumes = std::map<std::string, std::string>;
UnavailableVolumes unavailable_volumes(const ManagedPool& pool);

// With its problems: the members missing or failed, and the active volumes that cannot run.
PoolSummary summarize_pool(const ManagedPool& pool);
VolumeSummary summarize_volume(const model::Pool& pool, const model::Volume& volume,
                               const UnavailableVolumes& unavailable = {});
const char* kind_name(const model::VolumeLayout& layout);

}  // namespace volumes::engine
