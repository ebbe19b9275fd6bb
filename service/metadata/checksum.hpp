#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace volumes::metadata {

// CRC-32 (IEEE 802.3, zlib's crc32) of every checksummed part of the format.
std::uint32_t crc32_of(std::span<const std::uint8_t> bytes);
std::uint32_t crc32_of(std::string_view bytes);

}  // namespace volumes::metadata
