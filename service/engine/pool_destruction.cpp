#include "service/engine/pool_destruction.hpp"

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "service/engine/error_translation.hpp"
#include "service/engine/member_zeroing.hpp"
#include "service/executor/live_state_reader.hpp"
#include "service/metadata/label.hpp"
#include "service/model/names.hpp"

namespace volumes::engine {

namespace {

Result<void> zero_area(const OpenMember& member)
{
    const auto& label = member.area.label();
    if (auto zeroed = zero_member_bytes(member, label.metadata_offset, label.metadata_size); !zeroed)
        return zeroed;
    return flush_member(member);
}

// Bookkeeping of a destruction that stopped after erasing the labels of the first `erased`
// members.
Error stopped(ManagedPool& pool, std::size_t erased, const Error& error)
{
    if (erased == 0)
        return {ErrorCode::Failed,
                fmt::format("destroying pool '{}' failed before it erased any member: {}", pool.pool.name, error.message)};
    std::lock_guard view(pool.view_lock);
    const auto total = pool.members.size();
    for (std::size_t i = 0; i < erased; ++i)
        pool.missing.push_back(pool.members[i].area.label().member_uuid);
    pool.members.erase(pool.members.begin(), pool.members.begin() + static_cast<std::ptrdiff_t>(erased));
    pool.problems.push_back(fmt::format("destroying the pool stopped: {}; {} of its {} member(s) were erased and are "
                                        "free, the others still carry the pool's label until Destroy runs again with force",
                                        error.message, erased, total));
    return {ErrorCode::Failed, fmt::format("destroying pool '{}' stopped: {}; {} of its {} member(s) were erased, "
                                           "so the pool is now incomplete",
                                           pool.pool.name, error.message, erased, total)};
}

}  // namespace

Result<void> check_destroyable(const ManagedPool& pool, bool force)
{
    if (!pool.pool.volumes.empty())
        return fail(ErrorCode::InUse, fmt::format("pool '{}' has {} volume(s); remove its volumes first",
                                                  pool.pool.name, pool.pool.volumes.size()));
    if (!pool.complete() && !force)
        return fail(ErrorCode::Busy,
                    fmt::format("pool '{}' misses {} member(s); it can be destroyed once they are back, or now with "
                                "force, which frees the members that are here",
                                pool.pool.name, pool.missing.size()));
    return {};
}

Result<void> check_no_pool_devices(const ManagedPool& pool)
{
    auto live = executor::read_live_state(model::dm_uuid_prefix(pool.pool.uuid));
    if (!live)
        return std::unexpected(from_executor(live.error()));
    if (live->devices.empty())
        return {};
    std::vector<std::string> names;
    bool open = false;
    for (const auto& device : live->devices) {
        names.push_back(device.name);
        open = open || device.open_count > 0;
    }
    if (open)
        return fail(ErrorCode::InUse, fmt::format("pool '{}' has no volumes but its dm devices {} are still there, "
                                                  "and open",
                                                  pool.pool.name, fmt::join(names, ", ")));
    return fail(ErrorCode::Busy, fmt::format("pool '{}' has no volumes but its dm devices {} are still there; a "
                                             "restart of the service reconciles them away",
                                             pool.pool.name, fmt::join(names, ", ")));
}

Result<void> erase_members(ManagedPool& pool)
{
    for (std::size_t i = 0; i < pool.members.size(); ++i) {
        const auto& member = pool.members[i];
        // erase_label flushes: once it returns, the member is no longer one on disk.
        if (auto erased = metadata::erase_label(member.device.fd()); !erased)
            return std::unexpected(stopped(
                pool, i,
                {ErrorCode::Failed, fmt::format("erasing the label of {}: {}", member.device.path(),
                                                erased.error().message)}));
        if (auto zeroed = zero_area(member); !zeroed)
            return std::unexpected(stopped(pool, i + 1, zeroed.error()));
    }
    return {};
}

}  // namespace volumes::engine
