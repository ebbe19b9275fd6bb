#include "kmod/device_number.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>

#include <fmt/core.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace volumes::kmod {

DeviceNumber DeviceNumber::from_dev_t(dev_t dev)
{
    return DeviceNumber{::major(dev), ::minor(dev)};
}

Result<DeviceNumber> DeviceNumber::parse(std::string_view text)
{
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return fail(ErrorCode::Parse, fmt::format("'{}' is not a major:minor device number", text));
    DeviceNumber number;
    const auto major_part = text.substr(0, colon);
    const auto minor_part = text.substr(colon + 1);
    const auto [major_end, major_ec] = std::from_chars(major_part.data(), major_part.data() + major_part.size(), number.major);
    const auto [minor_end, minor_ec] = std::from_chars(minor_part.data(), minor_part.data() + minor_part.size(), number.minor);
    if (major_part.empty() || minor_part.empty() || major_ec != std::errc{} || minor_ec != std::errc{} ||
        major_end != major_part.data() + major_part.size() || minor_end != minor_part.data() + minor_part.size())
        return fail(ErrorCode::Parse, fmt::format("'{}' is not a major:minor device number", text));
    return number;
}

Result<DeviceNumber> DeviceNumber::of_path(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return fail(ErrorCode::NotFound, fmt::format("{}: {}", path, std::strerror(errno)), errno);
    if (!S_ISBLK(st.st_mode))
        return fail(ErrorCode::InvalidArgument, fmt::format("{} is not a block device", path));
    return from_dev_t(st.st_rdev);
}

dev_t DeviceNumber::to_dev_t() const
{
    return ::makedev(major, minor);
}

std::string DeviceNumber::to_string() const
{
    return fmt::format("{}:{}", major, minor);
}

}  // namespace volumes::kmod
