#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>

#include <sys/mman.h>
#include <unistd.h>

// A sparse in-memory file (memfd) standing in for a block device. Unlike a file on the test
// machine's disk it can be as large as any offset Linux addresses (2^63 - 1 bytes), so labels
// at the format's limits can describe a device that really is that large.
class MemoryDevice {
public:
    explicit MemoryDevice(std::uint64_t size) : fd_(::memfd_create("volumes-metadata-limits", MFD_CLOEXEC))
    {
        if (fd_ < 0)
            throw std::system_error(errno, std::generic_category(), "memfd_create");
        if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
            const int errnum = errno;
            ::close(fd_);
            throw std::system_error(errnum, std::generic_category(), "ftruncate to " + std::to_string(size));
        }
    }
    MemoryDevice(const MemoryDevice&) = delete;
    MemoryDevice& operator=(const MemoryDevice&) = delete;
    ~MemoryDevice() { ::close(fd_); }

    int fd() const { return fd_; }

private:
    int fd_;
};
