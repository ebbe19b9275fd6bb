#include "service/engine/member_removal.hpp"

#include <algorithm>

#include <fmt/core.h>

namespace volumes::engine {

namespace {

// The volumes with extents on `member`, by name, in pool order.
std::vector<std::string> volumes_on(const model::Pool& pool, const model::Uuid& member)
{
    const auto on_member = [&](const model::ExtentMap& map) {
        return std::any_of(map.begin(), map.end(), [&](const model::ExtentRun& run) { return run.member == member; });
    };
    std::vector<std::string> names;
    for (const auto& volume : pool.volumes) {
        bool uses = false;
        if (const auto* linear = std::get_if<model::LinearLayout>(&volume.layout))
            uses = on_member(linear->data);
        else if (const auto* raid = std::get_if<model::Raid1Layout>(&volume.layout))
            uses = std::any_of(raid->legs.begin(), raid->legs.end(),
                               [&](const model::Raid1Leg& leg) { return on_member(leg.meta) || on_member(leg.data); });
        else if (const auto* snapshot = std::get_if<model::SnapshotLayout>(&volume.layout))
            uses = on_member(snapshot->cow);
        else if (const auto* thin_pool = std::get_if<model::ThinPoolLayout>(&volume.layout))
            uses = on_member(thin_pool->meta) || on_member(thin_pool->data);
        if (uses)
            names.push_back(volume.name);
    }
    return names;
}

}  // namespace

Result<model::Pool> without_member(const model::Pool& pool, const model::Uuid& member)
{
    const auto found = std::find_if(pool.members.begin(), pool.members.end(),
                                    [&](const model::Member& m) { return m.uuid == member; });
    if (found == pool.members.end())
        return fail(ErrorCode::NotFound,
                    fmt::format("{} is not a member of pool '{}'", member.to_string(), pool.name));
    if (pool.extent_move)
        return fail(ErrorCode::Busy, fmt::format("pool '{}' is moving the extents of member {}: wait for its job, "
                                                 "or cancel it",
                                                 pool.name, pool.extent_move->member.to_string()));
    if (pool.members.size() == 1)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("{} is the last member of pool '{}': destroy the pool instead", member.to_string(),
                                pool.name));
    const auto users = volumes_on(pool, member);
    if (!users.empty()) {
        std::string listed;
        for (const auto& name : users)
            listed += fmt::format("{}'{}'", listed.empty() ? "" : ", ", name);
        return fail(ErrorCode::InUse,
                    fmt::format("member {} of pool '{}' holds extents of {}: RemoveMember's option \"move\" or "
                                "Pool.EvacuateMember (volumectl evacuate --remove) moves them off it first",
                                member.to_string(), pool.name, listed));
    }
    model::Pool next = pool;
    next.members.erase(next.members.begin() + (found - pool.members.begin()));
    return next;
}

Result<std::size_t> member_named(const std::vector<MemberIdentity>& members, const std::string& device,
                                 std::uint64_t device_number)
{
    for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& member = members[i];
        if (member.uuid.to_string() == device || member.path == device ||
            (device_number != 0 && member.device_number == device_number))
            return i;
    }
    return fail(ErrorCode::NotFound, fmt::format("'{}' is neither a member's device nor a member's uuid", device));
}

}  // namespace volumes::engine
