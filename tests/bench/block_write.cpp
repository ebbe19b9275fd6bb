#include "block_write.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

namespace volumes::bench {

namespace {

constexpr std::size_t kChunk = 1024 * 1024;

[[noreturn]] void fail(const std::string& what, const std::string& device)
{
    throw std::runtime_error(fmt::format("{} {}: {}", what, device, std::strerror(errno)));
}

}  // namespace

void write_mib(const std::string& device, std::uint64_t mib, std::uint64_t seed)
{
    void* raw = nullptr;
    if (::posix_memalign(&raw, 4096, kChunk) != 0)
        throw std::runtime_error("posix_memalign failed");
    std::unique_ptr<void, decltype(&std::free)> buffer(raw, &std::free);
    auto* words = static_cast<std::uint64_t*>(raw);

    const int fd = ::open(device.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0)
        fail("opening", device);
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (std::uint64_t chunk = 0; chunk < mib; ++chunk) {
        for (std::size_t i = 0; i < kChunk / sizeof *words; ++i) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            words[i] = state;
        }
        const off_t offset = static_cast<off_t>(chunk * kChunk);
        if (::pwrite(fd, raw, kChunk, offset) != static_cast<ssize_t>(kChunk)) {
            ::close(fd);
            fail("writing", device);
        }
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced)
        fail("fsync of", device);
}

bool reads_zero(const std::string& device, std::uint64_t mib)
{
    void* raw = nullptr;
    if (::posix_memalign(&raw, 4096, kChunk) != 0)
        throw std::runtime_error("posix_memalign failed");
    std::unique_ptr<void, decltype(&std::free)> buffer(raw, &std::free);
    const auto* bytes = static_cast<const unsigned char*>(raw);

    const int fd = ::open(device.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0)
        fail("opening", device);
    for (std::uint64_t chunk = 0; chunk < mib; ++chunk) {
        const off_t offset = static_cast<off_t>(chunk * kChunk);
        if (::pread(fd, raw, kChunk, offset) != static_cast<ssize_t>(kChunk)) {
            ::close(fd);
            fail("reading", device);
        }
        for (std::size_t i = 0; i < kChunk; ++i)
            if (bytes[i] != 0) {
                ::close(fd);
                return false;
            }
    }
    ::close(fd);
    return true;
}

}  // namespace volumes::bench
