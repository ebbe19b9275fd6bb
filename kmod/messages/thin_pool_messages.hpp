#pragma once

#include <cstdint>
#include <string>

#include "kmod/error.hpp"

// The messages a thin-pool target takes (DM_DEVICE_TARGET_MSG, sector 0; kernel-targets.md
// §3.2, dm-thin.c pool_message), as the exact text to send. Each validates its input and
// returns InvalidArgument, naming the field, for what the kernel would refuse.
namespace volumes::kmod {

// Thin device ids are 24 bits (dm-thin MAX_DEV_ID).
inline constexpr std::uint32_t thin_device_id_limit = 1u << 24;

// "create_thin <id>"
Result<std::string> create_thin_message(std::uint32_t id);
// "create_snap <id> <origin_id>"; the two ids differ.
Result<std::string> create_snap_message(std::uint32_t id, std::uint32_t origin_id);
// "delete <id>"
Result<std::string> delete_thin_message(std::uint32_t id);
// "set_transaction_id <current> <next>"; the kernel swaps only when <current> matches, and
// <next> must differ from it.
Result<std::string> set_transaction_id_message(std::uint64_t current, std::uint64_t next);
// "reserve_metadata_snap" and "release_metadata_snap".
std::string reserve_metadata_snap_message();
std::string release_metadata_snap_message();

}  // namespace volumes::kmod
