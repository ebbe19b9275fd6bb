#pragma once

#include <cstddef>

// The largest single operator new request since the probe was reset. The test binary replaces
// the global operator new (allocation_probe.cpp) to record it, so a test can show that a
// hostile length read from a disk never turned into an allocation.
namespace allocation_probe {

void reset();
std::size_t largest();

}  // namespace allocation_probe
