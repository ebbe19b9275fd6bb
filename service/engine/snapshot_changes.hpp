#pragma once

#include <cstdint>
#include <string>

#include "service/engine/engine_error.hpp"
#include "service/model/pool_model.hpp"

// The engine's decisions about CoW snapshots (kernel-targets.md §2), pure like those of
// volume_changes.hpp: each returns the pool model a request leads to, or why it is refused.
namespace volumes::engine {

using model::Pool;
using model::Uuid;

inline constexpr std::uint32_t kDefaultChunkSize = 4 * 1024;
inline constexpr std::uint32_t kMinChunkSize = 4 * 1024;
inline constexpr std::uint32_t kMaxChunkSize = 512 * 1024;

struct SnapshotRequest {
    std::string name;
    std::uint64_t cow_size = 0;  // bytes, rounded up to whole extents
    std::uint32_t chunk_size = kDefaultChunkSize;  // a power of two from 4 KiB to 512 KiB
};

// A snapshot of a linear or raid1 origin over a new COW sub-volume, active when its origin is.
// Refused: NotSupported for any other kind of origin, Busy while a merge into the origin is
// running or pending, InvalidArgument for a bad name, size or chunk size, NoSpace.
Result<Pool> add_snapshot(const Pool& pool, const Uuid& origin, const SnapshotRequest& request, const Uuid& uuid);

// A merge of the snapshot into its origin: Merging when it can start now, Pending when
// `held_open` (the origin or the snapshot is open) or the origin is inactive; it then starts
// at the origin's next activation (start_pending_merge). Refused: InvalidArgument for a volume
// that is not a snapshot, Busy when a merge into its origin is already running or pending.
Result<Pool> request_snapshot_merge(const Pool& pool, const Uuid& snapshot, bool held_open);

// A pending merge starts: the origin's table becomes snapshot-merge and the snapshot device
// goes. Refused (InvalidArgument) unless the merge is pending and the origin active.
Result<Pool> start_pending_merge(const Pool& pool, const Uuid& snapshot);

// The kernel has merged every chunk back: the snapshot and its COW go, and the origin returns
// to its plain stack unless other snapshots of it remain. Refused unless the snapshot is merging.
Result<Pool> finish_snapshot_merge(const Pool& pool, const Uuid& snapshot);

}  // namespace volumes::engine
