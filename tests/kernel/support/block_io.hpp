#pragma once

#include <cstdint>
#include <string>

namespace volumes::test {

// Direct (O_DIRECT) I/O on block devices, so what a test reads is what the device holds,
// never a page cache filled through another layer of the stack. Offsets and lengths are in
// bytes and must be multiples of 4096. Failures throw.

// Writes a pattern that is a pure function of (seed, absolute offset), so any range can be
// checked later without keeping a copy.
void write_pattern(const std::string& device, std::uint64_t offset, std::uint64_t length, std::uint64_t seed);

// True if the range holds exactly the pattern write_pattern(seed) puts there.
bool holds_pattern(const std::string& device, std::uint64_t offset, std::uint64_t length, std::uint64_t seed);

// A digest of a range, for comparing devices with each other.
std::uint64_t digest(const std::string& device, std::uint64_t offset, std::uint64_t length);

// The device's size in bytes (BLKGETSIZE64).
std::uint64_t device_size(const std::string& device);

// True if a write to the device is refused (a read-only mapping).
bool refuses_writes(const std::string& device);

}  // namespace volumes::test
