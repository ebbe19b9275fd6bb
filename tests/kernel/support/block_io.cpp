#include "tests/kernel/support/block_io.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace volumes::test {
namespace {

constexpr std::uint64_t alignment = 4096;
constexpr std::uint64_t chunk_size = 1 << 20;

[[noreturn]] void throw_errno(const std::string& what)
{
    throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

struct FreeDeleter {
    void operator()(void* memory) const { std::free(memory); }
};
using AlignedBuffer = std::unique_ptr<std::uint64_t[], FreeDeleter>;

AlignedBuffer aligned_buffer()
{
    void* memory = nullptr;
    if (::posix_memalign(&memory, alignment, chunk_size) != 0)
        throw std::runtime_error("posix_memalign failed");
    return AlignedBuffer(static_cast<std::uint64_t*>(memory));
}

std::uint64_t pattern_word(std::uint64_t seed, std::uint64_t offset)
{
    // splitmix64 of the word's position: cheap, and no two positions or seeds look alike.
    std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + offset / 8 + 1;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class DirectFile {
public:
    DirectFile(const std::string& path, int flags) : path_(path), fd_(::open(path.c_str(), flags | O_DIRECT | O_CLOEXEC))
    {
        if (fd_ < 0)
            throw_errno("open " + path);
    }
    ~DirectFile() { ::close(fd_); }

    void read(void* buffer, std::uint64_t length, std::uint64_t offset) const
    {
        const auto done = ::pread(fd_, buffer, length, static_cast<off_t>(offset));
        if (done != static_cast<ssize_t>(length))
            throw_errno(fmt::format("read {} bytes at {} from {}", length, offset, path_));
    }
    void write(const void* buffer, std::uint64_t length, std::uint64_t offset) const
    {
        const auto done = ::pwrite(fd_, buffer, length, static_cast<off_t>(offset));
        if (done != static_cast<ssize_t>(length))
            throw_errno(fmt::format("write {} bytes at {} to {}", length, offset, path_));
    }
    void sync() const
    {
        if (::fsync(fd_) != 0)
            throw_errno("fsync " + path_);
    }

private:
    std::string path_;
    int fd_;
};

void check_alignment(std::uint64_t offset, std::uint64_t length)
{
    if (offset % alignment || length % alignment)
        throw std::invalid_argument(fmt::format("range {}+{} is not 4 KiB aligned", offset, length));
}

template <class Visit>
void for_each_chunk(std::uint64_t offset, std::uint64_t length, Visit visit)
{
    for (std::uint64_t done = 0; done < length;) {
        const auto size = std::min(chunk_size, length - done);
        visit(offset + done, size);
        done += size;
    }
}

}  // namespace

void write_pattern(const std::string& device, std::uint64_t offset, std::uint64_t length, std::uint64_t seed)
{
    check_alignment(offset, length);
    DirectFile file(device, O_WRONLY);
    auto buffer = aligned_buffer();
    for_each_chunk(offset, length, [&](std::uint64_t at, std::uint64_t size) {
        for (std::uint64_t word = 0; word < size / 8; ++word)
            buffer[word] = pattern_word(seed, at + word * 8);
        file.write(buffer.get(), size, at);
    });
    file.sync();
}

bool holds_pattern(const std::string& device, std::uint64_t offset, std::uint64_t length, std::uint64_t seed)
{
    check_alignment(offset, length);
    DirectFile file(device, O_RDONLY);
    auto buffer = aligned_buffer();
    bool equal = true;
    for_each_chunk(offset, length, [&](std::uint64_t at, std::uint64_t size) {
        if (!equal)
            return;
        file.read(buffer.get(), size, at);
        for (std::uint64_t word = 0; word < size / 8 && equal; ++word)
            equal = buffer[word] == pattern_word(seed, at + word * 8);
    });
    return equal;
}

std::uint64_t digest(const std::string& device, std::uint64_t offset, std::uint64_t length)
{
    check_alignment(offset, length);
    DirectFile file(device, O_RDONLY);
    auto buffer = aligned_buffer();
    std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a over 64-bit words
    for_each_chunk(offset, length, [&](std::uint64_t at, std::uint64_t size) {
        file.read(buffer.get(), size, at);
        for (std::uint64_t word = 0; word < size / 8; ++word)
            hash = (hash ^ buffer[word]) * 0x100000001b3ULL;
    });
    return hash;
}

std::uint64_t device_size(const std::string& device)
{
    const int fd = ::open(device.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw_errno("open " + device);
    std::uint64_t size = 0;
    const int result = ::ioctl(fd, BLKGETSIZE64, &size);
    ::close(fd);
    if (result != 0)
        throw_errno("BLKGETSIZE64 " + device);
    return size;
}

bool refuses_writes(const std::string& device)
{
    const int fd = ::open(device.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0)
        return errno == EROFS || errno == EACCES;
    // Writes back what is there, so a device that wrongly accepts the write is not damaged.
    auto buffer = aligned_buffer();
    DirectFile(device, O_RDONLY).read(buffer.get(), alignment, 0);
    const auto written = ::pwrite(fd, buffer.get(), alignment, 0);
    const int error = errno;
    ::close(fd);
    return written < 0 && (error == EROFS || error == EPERM || error == EACCES || error == EIO);
}

}  // namespace volumes::test
