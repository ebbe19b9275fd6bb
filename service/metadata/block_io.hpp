#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "service/metadata/metadata_error.hpp"

namespace volumes::metadata {

// Positioned I/O on a block device or a regular file (pread/pwrite, retried on EINTR and
// short transfers). The file descriptor is borrowed, never closed.

// Reads up to out.size() bytes at `offset`; fewer only at the end of the device.
Result<std::size_t> read_up_to(int fd, std::uint64_t offset, std::span<std::uint8_t> out);
// Reads exactly out.size() bytes at `offset`; running into the end of the device is an Io error.
Result<void> read_exact(int fd, std::uint64_t offset, std::span<std::uint8_t> out);
Result<void> write_exact(int fd, std::uint64_t offset, std::span<const std::uint8_t> bytes);
// fdatasync: the data written so far is on stable storage (the device cache is flushed).
Result<void> flush(int fd);
// Size in bytes: BLKGETSIZE64 for a block device, st_size for a regular file.
Result<std::uint64_t> device_size(int fd);

}  // namespace volumes::metadata
