#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/model/pool_model.hpp"

// The engine's decisions about dm-thin (kernel-targets.md §3), pure like volume_changes.hpp.
// A change inside a thin pool is two things that must agree: the pool model (committed by
// the metadata protocol) and the thin-pool's own metadata, changed by messages to its
// device. Each decision returns both; the transaction id ties them together: every change
// that sends messages ends with "set_transaction_id <T> <T+1>" and the next model carries
// T+1, so start-up can tell which side a crash left behind.
namespace volumes::engine {

using model::Pool;
using model::Uuid;

inline constexpr std::uint32_t kDefaultThinBlockSize = 64 * 1024;
inline constexpr std::uint64_t kMinThinMetadataSize = 2 * 1024 * 1024;             // lvm's minimum
inline constexpr std::uint64_t kMaxThinMetadataSize = 16ull * 1024 * 1024 * 1024;  // dm-thin's limit

struct ThinPoolRequest {
    std::string name;
    std::uint64_t data_size = 0;      // bytes, rounded up to whole extents
    std::uint64_t metadata_size = 0;  // bytes, 2 MiB to 16 GiB, rounded up to whole extents
    std::uint32_t block_size = kDefaultThinBlockSize;  // bytes, a multiple of 64 KiB up to 1 GiB
    // 0: a tenth of the data blocks, at least 1 (a default of this daemon). While autoextend is
    // on the pool gets at least low_water_at_threshold's blocks (follow_autoextend_low_water).
    std::uint64_t low_water_blocks = 0;
    bool error_if_no_space = false;
};

// The free data blocks left when `data_blocks` reach `threshold_percent` used (used * 100 >=
// threshold * total, as plan_autoextend decides), at least 1: dm-thin raises its dm event when
// the free blocks drop to its low water, so the event comes exactly when autoextend would grow.
std::uint64_t low_water_at_threshold(std::uint64_t data_blocks, std::uint32_t threshold_percent);

// The pool with thin pool `thin_pool`'s low water following its autoextend threshold
// (model::effective_autoextend) after its data size or policy changed: while the threshold is
// below 100, low_water_at_threshold of its data blocks; with autoextend off, the low water it
// had. The model keeps no record of a low_water_mark given at creation, so only add_thin_pool
// keeps a larger one. The pool unchanged for a volume that is not a thin pool.
Pool follow_autoextend_low_water(Pool pool, const Uuid& thin_pool);

// A thin pool over new tmeta and tdata sub-volumes, transaction id 0, next thin id 0. The
// caller zeroes the first block of tmeta before the transaction, so dm-thin formats it.
// Refused: InvalidArgument (name, sizes, block size, data smaller than one block), AlreadyExists,
// NoSpace.
Result<Pool> add_thin_pool(const Pool& pool, const ThinPoolRequest& request, const Uuid& uuid);

// The thin-pool messages of one change, in the order they are sent to the pool's device.
struct ThinPoolMessages {
    Uuid thin_pool;  // the thin pool volume the messages go to
    std::vector<std::string> messages;
};

struct ThinChange {
    Pool next;
    ThinPoolMessages messages;
};

// A thin volume with the pool's next thin id: "create_thin <id>", then the transaction id
// advances. Refused: InvalidArgument (name, size 0 or not a multiple of 512, not a thin pool),
// AlreadyExists, NoSpace (no thin id left below 2^24).
Result<ThinChange> add_thin(const Pool& pool, const Uuid& thin_pool, const std::string& name,
                            std::uint64_t virtual_size, const Uuid& uuid);

// A thin snapshot of thin volume `origin` with the pool's next thin id, of the origin's
// virtual size: "create_snap <id> <origin id>" (the origin's device must be suspended while
// it is sent), then the transaction id advances. Active when the origin is.
Result<ThinChange> add_thin_snapshot(const Pool& pool, const Uuid& origin, const std::string& name,
                                     const Uuid& uuid);

// The thin volume goes from the model, and "delete <id>" frees its blocks once its device is
// gone; then the transaction id advances. Thin snapshots of it stay (dm-thin allows that);
// their origin_thin_id is cleared. Refused (InvalidArgument) for a volume that is not thin.
Result<ThinChange> remove_thin(const Pool& pool, const Uuid& thin);

}  // namespace volumes::engine
