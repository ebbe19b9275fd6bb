#pragma once

#include <cstddef>
#include <string>

#include <fmt/core.h>

// The sub-devices of a volume while run `index` of the pool's extent move (ExtentMove::runs)
// is copied: the raid1 of the two ("pvmove<index>"), and its legs, linear over the run
// ("pvmove<index>_from") and over its destination ("pvmove<index>_to").
namespace volumes::model::role {

inline std::string pvmove(std::size_t index) { return fmt::format("pvmove{}", index); }
inline std::string pvmove_from(std::size_t index) { return fmt::format("pvmove{}_from", index); }
inline std::string pvmove_to(std::size_t index) { return fmt::format("pvmove{}_to", index); }

}  // namespace volumes::model::role
