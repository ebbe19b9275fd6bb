#pragma once

#include <cstdint>

#include "service/engine/engine_error.hpp"
#include "service/model/pool_model.hpp"

// The engine's decisions about a volume's size, pure like volume_changes.hpp. Growing takes
// free extents of the pool; the kernel sees the new size when the transaction reloads the
// volume's tables (a thin pool notices its larger data or metadata device on resume).
namespace volumes::engine {

struct ResizeRequest {
    // Bytes: the new size of a linear or raid1 volume, the virtual size of a thin volume, the
    // COW size of a CoW snapshot, the data size of a thin pool. Extent-backed sizes round up to
    // whole extents, a thin volume's to whole 512-byte sectors.
    std::uint64_t size = 0;
    // Shrinking a linear, raid1 or thin volume is refused without it. The caller also refuses it
    // while the volume's content could reach past the new end (engine::Engine::resize_volume).
    bool allow_shrink = false;
    // After the transaction, grow the filesystem mounted from the volume with it (the engine
    // does this; the decisions ignore it).
    bool resize_filesystem = false;
};

// The pool with the volume at its new size; the same pool when the size does not change. A
// raid1 grows every leg's image on the member that leg lives on (grow_raid1_legs), or cuts
// every image at its end.
// Refused: NotFound, InvalidArgument (size 0, a shrink without allow_shrink, a tracked image),
// NotSupported (an origin with CoW snapshots, whose size they share; shrinking a thin pool or
// a COW, which the kernel cannot do; a raid1 beyond 2^21 bitmap regions), Busy (a snapshot
// being merged, a raid1 with a leg split off as a tracked image), NoSpace (for a raid1, naming
// each leg whose member lacks room). Whether a raid1 is in sync is the caller's to check
// (engine::Engine::resize_volume).
Result<model::Pool> resize_volume(const model::Pool& pool, const model::Uuid& volume, const ResizeRequest& request);

// A thin pool's metadata sub-volume grows to `metadata_size` bytes (rounded up to extents,
// at most dm-thin's 16 GiB); the same pool when it does not change. Refused: NotFound,
// InvalidArgument (not a thin pool, above the limit), NotSupported (smaller), NoSpace.
Result<model::Pool> resize_thin_pool_metadata(const model::Pool& pool, const model::Uuid& thin_pool,
                                              std::uint64_t metadata_size);

// The size resize_volume makes for `request` (rounded as it rounds), for the reply.
std::uint64_t rounded_size(const model::Pool& pool, const model::Volume& volume, std::uint64_t size);

}  // namespace volumes::engine
