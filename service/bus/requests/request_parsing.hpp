#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "service/bus/call_options.hpp"
#include "service/engine/engine_error.hpp"
#include "service/engine/extent_move.hpp"
#include "service/engine/pool_creation.hpp"
#include "service/engine/raid1_conversion.hpp"
#include "service/engine/raid1_repair.hpp"
#include "service/engine/resize_changes.hpp"
#include "service/engine/snapshot_changes.hpp"
#include "service/engine/thin_changes.hpp"
#include "service/engine/volume_changes.hpp"

// Method arguments and options turned into engine requests. What only the arguments can tell
// (types, unknown options, sizes out of range, malformed device lists) is refused here; the
// engine refuses what needs the pool (names taken, space).
namespace volumes::bus {

// The largest size a method accepts: larger ones overflow the kernel's sector counts.
inline constexpr std::uint64_t kMaxSize = std::uint64_t{1} << 62;

struct CreatePoolRequest {
    std::string name;
    std::vector<std::string> devices;
    engine::CreatePoolOptions options;
};

engine::Result<CreatePoolRequest> parse_create_pool(std::string name, std::vector<std::string> devices,
                                                    const Options& options);

struct ImportPoolRequest {
    std::string pool;  // name or uuid
    bool force = false;
};
// The option "force" (b); the pool must be named (1 to 64 characters) or a uuid (36).
engine::Result<ImportPoolRequest> parse_import_pool(std::string pool, const Options& options);

using VolumeRequest = std::variant<engine::LinearRequest, engine::Raid1Request>;
engine::Result<VolumeRequest> parse_create_volume(std::string name, std::uint64_t size, const Options& options);

engine::Result<engine::SplitTrackRequest> parse_split_track(const Options& options);
// Raid1.Repair: "members" (as), each a device path or a member uuid, at most 64 of them, none
// empty or listed twice.
engine::Result<engine::RepairRequest> parse_repair(const Options& options);
// Volume.ConvertToRaid1: "members" as parse_repair takes it, "region_size" (t or u, bytes).
engine::Result<engine::ConvertToRaid1Request> parse_convert_to_raid1(const Options& options);

// The option "chunk_size" (u or t); the engine checks its value.
engine::Result<engine::SnapshotRequest> parse_create_snapshot(std::string name, std::uint64_t cow_size,
                                                              const Options& options);

// The options "block_size" (u or t), "low_water_mark" (t) and "error_if_no_space" (b).
engine::Result<engine::ThinPoolRequest> parse_create_thin_pool(std::string name, std::uint64_t data_size,
                                                               std::uint64_t metadata_size, const Options& options);

// Pool.Destroy and Pool.AddMember: the option "force" (b).
engine::Result<bool> parse_force(const Options& options);

// Volume.Resize: the options "allow_shrink" (b) and "resize_filesystem" (b).
engine::Result<engine::ResizeRequest> parse_resize(std::uint64_t size, const Options& options);

// ThinPool.Resize: sizes of 0 keep that part; neither may pass kMaxSize, and one must be given.
engine::Result<void> parse_resize_thin_pool(std::uint64_t data_size, std::uint64_t metadata_size,
                                            const Options& options);

// Pool.AddMember: the device path is bounded (PATH_MAX) before it goes anywhere.
struct AddMemberRequest {
    std::string device;
    bool force = false;
};
engine::Result<AddMemberRequest> parse_add_member(std::string device, const Options& options);
// Pool.RemoveMember: "move" (b): a member holding extents has them moved off first (an extent
// move with the member's removal at its end); the device bounded as for AddMember.
struct RemoveMemberRequest {
    std::string device;
    bool move = false;
};
engine::Result<RemoveMemberRequest> parse_remove_member(std::string device, const Options& options);
// Pool.EvacuateMember: "remove" (b) and "max_rate" (u), the device bounded as for RemoveMember.
struct EvacuateMemberRequest {
    std::string device;
    engine::ExtentMoveRequest move;
};
engine::Result<EvacuateMemberRequest> parse_evacuate_member(std::string device, const Options& options);

// Methods whose only option is "auth.no_user_interaction".
engine::Result<void> parse_no_options(const Options& options);

// InvalidArgument for a size of 0 or above kMaxSize; `what` names the size in the message.
engine::Result<void> check_size(const char* what, std::uint64_t size);

}  // namespace volumes::bus
