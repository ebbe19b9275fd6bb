#include "service/engine/device_arguments.hpp"

#include <climits>

#include <fmt/core.h>

namespace volumes::engine {

Result<void> check_device_path(const std::string& path)
{
    if (auto bounded = check_member_argument(path); !bounded)
        return bounded;
    if (path.front() != '/')
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("device '{}' is not an absolute path; pass paths like /dev/sdb", path));
    return {};
}

Result<void> check_member_argument(const std::string& device)
{
    if (device.empty() || device.size() >= PATH_MAX)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("a device path of {} bytes: paths are 1 to {} bytes", device.size(), PATH_MAX - 1));
    return {};
}

}  // namespace volumes::engine
