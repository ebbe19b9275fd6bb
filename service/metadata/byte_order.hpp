#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace volumes::metadata {

// Fixed-width little-endian fields of the on-disk sectors, independent of the host's byte
// order and alignment.

inline void put_le32(std::span<std::uint8_t> out, std::size_t at, std::uint32_t value)
{
    for (std::size_t i = 0; i < 4; ++i)
        out[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

inline void put_le64(std::span<std::uint8_t> out, std::size_t at, std::uint64_t value)
{
    for (std::size_t i = 0; i < 8; ++i)
        out[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

inline std::uint32_t get_le32(std::span<const std::uint8_t> in, std::size_t at)
{
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i)
        value |= static_cast<std::uint32_t>(in[at + i]) << (8 * i);
    return value;
}

inline std::uint64_t get_le64(std::span<const std::uint8_t> in, std::size_t at)
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i)
        value |= static_cast<std::uint64_t>(in[at + i]) << (8 * i);
    return value;
}

}  // namespace volumes::metadata
