#include "service/engine/member_resolution.hpp"

#include "kmod/device_number.hpp"
#include "service/engine/device_arguments.hpp"
#include "service/engine/member_removal.hpp"

namespace volumes::engine {

Result<std::size_t> member_index(const ManagedPool& managed, const std::string& device)
{
    std::vector<MemberIdentity> identities;
    for (const auto& member : managed.members)
        identities.push_back({member.area.label().member_uuid, member.device.path(),
                              static_cast<std::uint64_t>(member.device.number().to_dev_t())});
    const auto number = kmod::DeviceNumber::of_path(device);
    return member_named(identities, device, number ? static_cast<std::uint64_t>(number->to_dev_t()) : 0);
}

Result<std::vector<model::Uuid>> resolve_members(const ManagedPool& managed, const std::vector<std::string>& devices)
{
    std::vector<model::Uuid> uuids;
    for (const auto& device : devices) {
        if (auto bounded = check_member_argument(device); !bounded)
            return std::unexpected(bounded.error());
        auto index = member_index(managed, device);
        if (!index)
            return std::unexpected(index.error());
        uuids.push_back(managed.members[*index].area.label().member_uuid);
    }
    return uuids;
}

Result<Raid1RepairChoice> member_choice(const ManagedPool& managed, const std::vector<std::string>& devices)
{
    auto allowed = resolve_members(managed, devices);
    if (!allowed)
        return std::unexpected(allowed.error());
    return Raid1RepairChoice{std::move(*allowed), managed.missing};
}

}  // namespace volumes::engine
