#include "service/metadata/block_io.hpp"

#include <cerrno>
#include <cstring>
#include <limits>

#include <fmt/core.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace volumes::metadata {

namespace {

std::unexpected<Error> io_error(const char* what, std::uint64_t offset, std::size_t length)
{
    const int errnum = errno;
    return fail(ErrorCode::Io, fmt::format("{} of {} bytes at offset {} failed: {}", what, length, offset, std::strerror(errnum)),
                errnum);
}

Result<void> check_range(std::uint64_t offset, std::size_t length)
{
    constexpr auto max_offset = static_cast<std::uint64_t>(std::numeric_limits<off_t>::max());
    if (offset > max_offset || length > max_offset - offset)
        return fail(ErrorCode::InvalidArgument, fmt::format("{} bytes at offset {} lie beyond any device", length, offset));
    return {};
}

}  // namespace

Result<std::size_t> read_up_to(int fd, std::uint64_t offset, std::span<std::uint8_t> out)
{
    if (auto range = check_range(offset, out.size()); !range)
        return std::unexpected(range.error());
    std::size_t done = 0;
    while (done < out.size()) {
        const auto got = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return io_error("read", offset, out.size());
        }
        if (got == 0)
            break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}

Result<void> read_exact(int fd, std::uint64_t offset, std::span<std::uint8_t> out)
{
    const auto got = read_up_to(fd, offset, out);
    if (!got)
        return std::unexpected(got.error());
    if (*got != out.size())
        return fail(ErrorCode::Io, fmt::format("read of {} bytes at offset {} ran into the end of the device after {} bytes",
                                               out.size(), offset, *got));
    return {};
}

Result<void> write_exact(int fd, std::uint64_t offset, std::span<const std::uint8_t> bytes)
{
    if (auto range = check_range(offset, bytes.size()); !range)
        return range;
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto put = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
        if (put < 0) {
            if (errno == EINTR)
                continue;
            return io_error("write", offset, bytes.size());
        }
        if (put == 0)
            return fail(ErrorCode::Io, fmt::format("write of {} bytes at offset {} stopped after {} bytes (end of device?)",
                                                   bytes.size(), offset, done));
        done += static_cast<std::size_t>(put);
    }
    return {};
}

Result<void> flush(int fd)
{
    while (::fdatasync(fd) != 0) {
        if (errno == EINTR)
            continue;
        const int errnum = errno;
        return fail(ErrorCode::Io, fmt::format("flushing to stable storage failed: {}", std::strerror(errnum)), errnum);
    }
    return {};
}

Result<std::uint64_t> device_size(int fd)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int errnum = errno;
        return fail(ErrorCode::Io, fmt::format("fstat failed: {}", std::strerror(errnum)), errnum);
    }
    if (S_ISREG(st.st_mode))
        return static_cast<std::uint64_t>(st.st_size);
    if (!S_ISBLK(st.st_mode))
        return fail(ErrorCode::InvalidArgument, "neither a block device nor a regular file");
    std::uint64_t size = 0;
    if (::ioctl(fd, BLKGETSIZE64, &size) != 0) {
        const int errnum = errno;
        return fail(ErrorCode::Io, fmt::format("BLKGETSIZE64 failed: {}", std::strerror(errnum)), errnum);
    }
    return size;
}

}  // namespace volumes::metadata
