#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include <unistd.h>

#include "service/metadata/byte_order.hpp"
#include "service/metadata/checksum.hpp"
#include "service/metadata/label.hpp"

namespace volumes::metadata {

// Writes `label` as a label sector with a correct checksum but no layout checks, the way a
// hostile or damaged disk could carry it (FORMAT.md, "Member label").
inline void write_raw_label(int fd, const Label& label)
{
    std::array<std::uint8_t, kSectorSize> sector{};
    std::memcpy(sector.data(), "VOLSDLBL", 8);
    put_le32(sector, 8, kFormatVersion);
    std::memcpy(sector.data() + 16, label.pool_uuid.bytes.data(), 16);
    std::memcpy(sector.data() + 32, label.member_uuid.bytes.data(), 16);
    put_le64(sector, 48, label.device_size);
    put_le64(sector, 56, label.metadata_offset);
    put_le64(sector, 64, label.metadata_size);
    put_le64(sector, 72, label.data_start);
    put_le64(sector, 80, label.extent_size);
    put_le32(sector, kSectorSize - 4, crc32_of(std::span(sector).first(kSectorSize - 4)));
    if (::pwrite(fd, sector.data(), sector.size(), static_cast<off_t>(kLabelOffset)) != static_cast<ssize_t>(sector.size()))
        throw std::runtime_error("pwrite of a raw label failed");
}

}  // namespace volumes::metadata
