#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "kmod/error.hpp"

namespace volumes::kmod {

enum class ThinState {
    Active,  // the counts below are valid
    Fail,    // the pool is in failure mode: status "Fail"
    Error,   // the kernel could not read the mapping counts: status "Error"
};

// The INFO status of a thin target (dm-thin.c thin_status):
// "<nr_mapped_sectors> <highest_mapped_sector|->", "Fail" or "Error".
struct ThinStatus {
    ThinState state = ThinState::Active;
    std::uint64_t mapped_sectors = 0;
    std::optional<std::uint64_t> highest_mapped_sector;  // none for "-": nothing mapped
};

Result<ThinStatus> parse_thin_status(std::string_view params);

}  // namespace volumes::kmod
