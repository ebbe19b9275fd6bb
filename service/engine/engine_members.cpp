#include <climits>

#include <fmt/core.h>

#include "service/engine/device_arguments.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/member_removal.hpp"
#include "service/engine/member_resolution.hpp"
#include "service/engine/pool_transaction.hpp"

// The Engine's changes to a pool's members: AddMember and RemoveMember.
namespace volumes::engine {

namespace {

// Members change only while every member is there: each commits the new member list.
Result<void> check_complete(const ManagedPool& managed, std::string_view what)
{
    if (managed.complete())
        return {};
    return fail(ErrorCode::Busy, fmt::format("pool '{}' misses {} member(s); {} one when they are back",
                                             managed.pool.name, managed.missing.size(), what));
}

}  // namespace

Result<PoolSummary> Engine::add_member(std::string_view name, const std::string& device, bool force)
{
    auto locked = lock_owned_pool(name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    if (auto complete = check_complete(managed, "add"); !complete)
        return std::unexpected(complete.error());
    auto member = prepare_new_member(managed.pool, device, force);
    if (!member)
        return std::unexpected(member.error());
    const auto& label = member->area.label();
    model::Pool next = managed.pool;
    next.members.push_back({label.member_uuid, label.extent_count()});
    {
        std::lock_guard view(managed.view_lock);
        managed.members.push_back(std::move(*member));
    }
    auto added = apply_pool_change(managed, next, targets_, udev_reaper_);
    if (!added && managed.pool != next) {
        std::lock_guard view(managed.view_lock);
        auto abandoned = abandon_new_member(managed.members.back());
        managed.members.pop_back();
        if (!abandoned)
            return fail(added.error().code, added.error().message + "; " + abandoned.error().message);
    }
    if (!added)
        return std::unexpected(added.error());
    std::lock_guard view(managed.view_lock);
    return summarize_pool(managed);
}

Result<PoolSummary> Engine::remove_member(std::string_view name, const std::string& device)
{
    if (auto bounded = check_member_argument(device); !bounded)
        return std::unexpected(bounded.error());
    auto locked = lock_owned_pool(name);
    if (!locked)
        return std::unexpected(locked.error());
    auto& managed = *locked->pool;
    if (auto complete = check_complete(managed, "remove"); !complete)
        return std::unexpected(complete.error());
    auto index = member_index(managed, device);
    if (!index)
        return std::unexpected(index.error());
    auto next = without_member(managed.pool, managed.members[*index].area.label().member_uuid);
    if (!next)
        return std::unexpected(next.error());

    // The document that no longer lists the member goes to the others only; the leaving one
    // keeps its old document until its label is erased, so a crash in between leaves a device
    // start-up takes for an intruder, never a member.
    auto leaving = std::move(managed.members[*index]);
    {
        std::lock_guard view(managed.view_lock);
        managed.members.erase(managed.members.begin() + static_cast<std::ptrdiff_t>(*index));
    }
    auto removed = apply_pool_change(managed, *next, targets_, udev_reaper_);
    if (!removed && managed.pool != *next) {
        std::lock_guard view(managed.view_lock);
        managed.members.insert(managed.members.begin() + static_cast<std::ptrdiff_t>(*index), std::move(leaving));
        return std::unexpected(removed.error());
    }
    const auto path = leaving.device.path();
    if (auto erased = metadata::erase_label(leaving.device.fd()); !erased) {
        auto problem = fmt::format("{} left pool '{}', but erasing its label failed: {}; start-up reports it as "
                                   "not a member until it is wiped",
                                   path, managed.pool.name, erased.error().message);
        std::lock_guard view(managed.view_lock);
        managed.problems.push_back(problem);
        return fail(ErrorCode::Failed, std::move(problem));
    }
    if (!removed)
        return std::unexpected(removed.error());
    std::lock_guard view(managed.view_lock);
    return summarize_pool(managed);
}

}  // namespace volumes::engine
