#pragma once

#include <cstdint>

#include "kmod/table_line.hpp"

namespace volumes::kmod {

// "0 <length> error": fails every I/O. Loaded into a layer that leaves the device graph while
// it is still open, so nothing reaches the devices it used to map. The kernel refuses a
// zero-length target, so pass the layer's real size.
TableLine error_table_line(std::uint64_t length);

}  // namespace volumes::kmod
