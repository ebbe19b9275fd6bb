#include "dm_status.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <fmt/core.h>
#include <linux/dm-ioctl.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace volumes::bench {

std::optional<DmTarget> dm_target(const std::string& dm_name, bool table)
{
    if (dm_name.empty() || dm_name.size() >= DM_NAME_LEN)
        throw std::runtime_error(fmt::format("bad dm name '{}'", dm_name));
    std::vector<std::uint64_t> buffer(16384 / sizeof(std::uint64_t), 0);
    auto* io = reinterpret_cast<dm_ioctl*>(buffer.data());
    io->version[0] = DM_VERSION_MAJOR;
    io->version[1] = 0;
    io->version[2] = 0;
    io->data_size = static_cast<std::uint32_t>(buffer.size() * sizeof(std::uint64_t));
    io->data_start = sizeof(dm_ioctl);
    io->flags = table ? DM_STATUS_TABLE_FLAG : 0;
    std::memcpy(io->name, dm_name.data(), dm_name.size());

    const int fd = ::open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error(fmt::format("opening /dev/mapper/control: {}", std::strerror(errno)));
    const int result = ::ioctl(fd, DM_TABLE_STATUS, io);
    const int error = errno;
    ::close(fd);
    if (result < 0) {
        if (error == ENXIO)
            return std::nullopt;
        throw std::runtime_error(fmt::format("DM_TABLE_STATUS {}: {}", dm_name, std::strerror(error)));
    }
    if (io->flags & DM_BUFFER_FULL_FLAG)
        throw std::runtime_error(fmt::format("DM_TABLE_STATUS {}: the answer does not fit", dm_name));
    if (io->target_count == 0)
        return DmTarget{};
    const auto* bytes = reinterpret_cast<const char*>(buffer.data());
    const auto* spec = reinterpret_cast<const dm_target_spec*>(bytes + io->data_start);
    return DmTarget{spec->target_type, reinterpret_cast<const char*>(spec + 1)};
}

}  // namespace volumes::bench
