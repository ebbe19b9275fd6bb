#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "kmod/error.hpp"
#include "kmod/tables/thin_pool_table.hpp"  // ThinPoolDiscards

namespace volumes::kmod {

enum class ThinPoolState {
    Active,  // the counters below are valid
    Fail,    // the pool is in failure mode: status "Fail"
    Error,   // the kernel could not read the pool's metadata: status "Error"
};

enum class ThinPoolMode {
    ReadWrite,       // "rw"
    ReadOnly,        // "ro": read-only or out of metadata space
    OutOfDataSpace,  // "out_of_data_space"
};

enum class ThinPoolNoSpacePolicy { Queue, Error };  // queue_if_no_space | error_if_no_space

// The INFO status of a thin-pool target (dm-thin.c pool_status):
//   <transaction_id> <used_meta>/<total_meta> <used_data>/<total_data> <held_root|->
//   [<rw|ro|out_of_data_space> <ignore_discard|discard_passdown|no_discard_passdown>
//    <queue_if_no_space|error_if_no_space> <needs_check|-> <metadata_low_watermark>]
// The bracketed fields were appended over the target's history; older kernels print a prefix
// of them, so each is optional but none may appear without the ones before it.
// Metadata counts are 4 KiB blocks, data counts are data blocks.
struct ThinPoolStatus {
    ThinPoolState state = ThinPoolState::Active;
    std::uint64_t transaction_id = 0;
    std::uint64_t used_metadata_blocks = 0;
    std::uint64_t total_metadata_blocks = 0;
    std::uint64_t used_data_blocks = 0;
    std::uint64_t total_data_blocks = 0;
    std::optional<std::uint64_t> held_root;  // block of the reserved metadata snapshot; none for "-"
    std::optional<ThinPoolMode> mode;
    std::optional<ThinPoolDiscards> discards;
    std::optional<ThinPoolNoSpacePolicy> no_space_policy;
    std::optional<bool> needs_check;
    std::optional<std::uint64_t> metadata_low_watermark;  // metadata blocks
};

Result<ThinPoolStatus> parse_thin_pool_status(std::string_view params);

}  // namespace volumes::kmod
