#pragma once

#include <cstdint>
#include <string>

namespace volumes::bench {

// Writes `mib` MiB of a pattern derived from `seed` at the start of `device`, with
// O_DIRECT, then fsyncs. Both sides of the benchmark write through this.
void write_mib(const std::string& device, std::uint64_t mib, std::uint64_t seed);

// Whether the first `mib` MiB of `device` read back as zeros (O_DIRECT).
bool reads_zero(const std::string& device, std::uint64_t mib);

}  // namespace volumes::bench
