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

Result<void> prepare_member(const std::string& path, bool force)
{
    if (auto unused = check_unused(path); !unused)
        return unused;
    auto signatures = probe_signatures(path);
    if (!signatures)
        return std::unexpected(signatures.error());
    if (signatures->empty())
        return {};
    if (!force)
        return fail(ErrorCode::HasSignature,
                    fmt::format("{} carries {}; pass force to erase them", path, describe(*signatures)));

    const bool member_label = std::any_of(signatures->begin(), signatures->end(),
                                          [](const Signature& signature) { return signature.type == "volumesd_member"; });
    if (auto wiped = wipe_signatures(path, member_label); !wiped)
        return wiped;
    auto left = probe_signatures(path);
    if (!left)
        return std::unexpected(left.error());
    if (!left->empty())
        return fail(ErrorCode::Io, fmt::format("{} still carries {} after wiping", path, describe(*left)));
    return {};
}

}  // namespace volumes::devices
