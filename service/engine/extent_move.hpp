#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/engine/engine_error.hpp"
#include "service/model/pool_model.hpp"

// The engine's decisions about moving every extent off a member (Pool.EvacuateMember, as lvm2's
// pvmove), pure like volume_changes.hpp. The move is recorded in the model (ExtentMove) and the
// graph copies each moved run through a temporary raid1 of the run and its destination
// (extent_move_devices.hpp); once the kernel shows every copy in sync, finish_extent_move puts
// the destinations in the volumes' maps; cancel_extent_move drops the record instead.
namespace volumes::engine {

struct ExtentMoveRequest {
    bool remove_member = false;                 // the member leaves the pool at the end
    std::optional<std::uint32_t> max_rate_kibs;  // dm-raid's max_recovery_rate per copy
};

// `pool` with an extent move of every run of `member`, each to free extents of the other
// members: a raid1 leg (its rmeta and rimage) goes whole to one member that holds no other leg
// of its array; any other map's runs on the member to the members with the most free extents.
// Refused, with nothing changed: Busy (a move is under way already; a member is `missing` or
// failed; a snapshot merge is pending, running or failed; a raid1 leg is being rebuilt; a
// raid1 leg is split off as a tracked image); NotFound (not a member); InvalidArgument (the
// only member; nothing on it to move: Pool.RemoveMember removes it; a volume with extents on
// it is inactive; a move device name would exceed the kernel's limit; a max rate of 0);
// NoSpace (the other members cannot hold it, as the allocator says).
Result<model::Pool> start_extent_move(const model::Pool& pool, const model::Uuid& member,
                                      const ExtentMoveRequest& request, const std::vector<model::Uuid>& missing);

// The move's second commit: the copies start (ExtentMove::copying). InvalidArgument when no
// move is under way or it copies already.
Result<model::Pool> start_extent_copies(const model::Pool& pool);

// The move made: each moved run replaced in its volume's map by its destination, the record
// dropped. InvalidArgument when no move is under way.
Result<model::Pool> finish_extent_move(const model::Pool& pool);

// The move undone: only the record dropped, so the volumes keep their runs and the
// destinations are free again. InvalidArgument when no move is under way.
Result<model::Pool> cancel_extent_move(const model::Pool& pool);

// Whether every copy of the move is done, from the temporary raid1s' status in the order of
// ExtentMove::runs: each one idle, in sync, both legs alive.
struct MoveCopyStatus {
    bool present = false;  // the temporary raid1 exists
    bool synced = false;
    std::uint64_t in_sync_sectors = 0;
    std::uint64_t total_sectors = 0;
};
bool extent_move_copied(const std::vector<MoveCopyStatus>& copies);

// What Engine::extent_move_progress reads.
struct ExtentMoveProgress {
    bool moving = false;
    std::string member;  // the member being emptied, its uuid
    bool remove_member = false;
    std::uint64_t copied_sectors = 0;
    std::uint64_t total_sectors = 0;
    bool copying = false;  // the copies were started (ExtentMove::copying)
    bool copied = false;   // every copy idle and in sync
};

enum class ExtentMoveEnd { Copying, Moved, Removed };

}  // namespace volumes::engine
