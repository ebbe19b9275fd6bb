#include "service/metadata/checksum.hpp"

#include <zlib.h>

namespace volumes::metadata {

std::uint32_t crc32_of(std::span<const std::uint8_t> bytes)
{
    return static_cast<std::uint32_t>(::crc32_z(::crc32_z(0L, Z_NULL, 0), bytes.data(), bytes.size()));
}

std::uint32_t crc32_of(std::string_view bytes)
{
    return crc32_of(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace volumes::metadata
