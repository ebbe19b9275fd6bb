#include <fmt/core.h>

#include "service/devices/device_use.hpp"
#include "service/devices/member_candidate.hpp"
#include "service/devices/volumesd_claim.hpp"

namespace volumes::devices {

Result<void> check_unused(const AdmittedDevice& device)
{
    auto reason = in_use_reason(device.number(), device.path());
    if (!reason)
        return std::unexpected(reason.error());
    if (*reason)
        return fail(ErrorCode::InUse, std::move(**reason));
    return {};
}

Result<void> check_unused(const std::string& path)
{
    auto device = AdmittedDevice::open(path, false);
    if (!device)
        return std::unexpected(device.error());
    return check_unused(*device);
}

Result<void> check_not_volumesd(const AdmittedDevice& device)
{
    auto claim = volumesd_claim(device.fd(), device.number(), device.path());
    if (!claim)
        return std::unexpected(claim.error());
    if (*claim)
        return fail(ErrorCode::InUse, std::move(**claim));
    return {};
}

}  // namespace volumes::devices
