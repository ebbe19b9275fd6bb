#include <algorithm>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "service/devices/member_candidate.hpp"
#include "service/devices/wipe_signatures.hpp"

namespace volumes::devices {
namespace {

std::string describe(const std::vector<Signature>& signatures)
{
    std::vector<std::string> parts;
    for (const auto& signature : signatures)
        parts.push_back(fmt::format("{} ({}) at byte {}", signature.type, signature.usage, signature.offset));
    return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

Result<std::vector<Signature>> check_admission(const AdmittedDevice& device, bool force)
{
    if (auto ours = check_not_volumesd(device); !ours)
        return std::unexpected(ours.error());
    if (auto unused = check_unused(device); !unused)
        return std::unexpected(unused.error());
    auto signatures = probe_signatures(device.fd(), device.path());
    if (!signatures)
        return std::unexpected(signatures.error());
    if (!signatures->empty() && !force)
        return fail(ErrorCode::HasSignature,
                    fmt::format("{} carries {}; pass force to erase them", device.path(), describe(*signatures)));
    return signatures;
}

Result<void> erase_signatures(AdmittedDevice& device, const std::vector<Signature>& found)
{
    if (found.empty())
        return {};
    // check_admission refused valid labels, so a label here is a corrupt one.
    const bool member_label = std::any_of(found.begin(), found.end(),
                                          [](const Signature& signature) { return signature.type == "volumesd_member"; });
    if (auto wiped = wipe_signatures(device.fd(), device.path(), member_label); !wiped)
        return wiped;
    auto left = probe_signatures(device.fd(), device.path());
    if (!left)
        return std::unexpected(left.error());
    if (!left->empty())
        return fail(ErrorCode::Io, fmt::format("{} still carries {} after wiping", device.path(), describe(*left)));
    return {};
}

Result<void> prepare_member(AdmittedDevice& device, bool force)
{
    auto found = check_admission(device, force);
    if (!found)
        return std::unexpected(found.error());
    return erase_signatures(device, *found);
}

Result<void> prepare_member(const std::string& path, bool force)
{
    auto device = AdmittedDevice::open(path, force);
    if (!device)
        return std::unexpected(device.error());
    return prepare_member(*device, force);
}

}  // namespace volumes::devices
