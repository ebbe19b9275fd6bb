#include <fmt/core.h>

#include "service/devices/blkid_signatures.hpp"
#include "service/devices/block_device.hpp"
#include "service/devices/member_candidate.hpp"
#include "service/metadata/format.hpp"
#include "service/metadata/label.hpp"

namespace volumes::devices {

Result<std::vector<Signature>> probe_signatures(int fd, const std::string& path)
{
    std::vector<Signature> found;
    auto probe = new_signature_probe(fd, path);
    if (!probe)
        return std::unexpected(probe.error());
    for (;;) {
        auto signature = next_signature(probe->get(), path);
        if (!signature)
            return std::unexpected(signature.error());
        if (!*signature)
            break;
        found.push_back(std::move(**signature));
    }

    // A damaged or newer label still marks the device as a member of some pool.
    const auto label = metadata::read_label(fd);
    if (label || label.error().code == metadata::ErrorCode::Corrupt ||
        label.error().code == metadata::ErrorCode::Unsupported)
        found.push_back(Signature{"volumesd_member", "other", metadata::kLabelOffset});
    else if (label.error().code != metadata::ErrorCode::NotFound)
        return fail(ErrorCode::Io, fmt::format("{}: {}", path, label.error().message), label.error().errnum);
    return found;
}

Result<std::vector<Signature>> probe_signatures(const std::string& path)
{
    auto device = BlockDevice::open(path, false);
    if (!device)
        return std::unexpected(device.error());
    return probe_signatures(device->fd(), path);
}

}  // namespace volumes::devices
