#include <algorithm>

#include <fmt/core.h>

#include "service/devices/device_stack.hpp"
#include "service/engine/engine.hpp"
#include "service/engine/error_translation.hpp"
#include "service/engine/pool_metadata_commit.hpp"
#include "service/metadata/document.hpp"
#include "service/model/pool_codec.hpp"

namespace volumes::engine {

namespace {

Result<void> check_importable(const ManagedPool& managed, bool force)
{
    const auto& name = managed.pool.name;
    if (managed.owned())
        return fail(ErrorCode::InvalidArgument, fmt::format("pool '{}' is this machine's already", name));
    if (force)
        return {};
    if (!managed.missing.empty()) {
        std::string missing;
        for (const auto& member : managed.missing)
            missing += (missing.empty() ? "" : ", ") + member.to_string();
        return fail(ErrorCode::NotFound, fmt::format("pool '{}' misses member(s) {}: connect them, or import it with "
                                                     "\"force\" to leave them behind",
                                                     name, missing));
    }
    for (const auto& member : managed.members) {
        const auto holders = devices::holders_of(member.device.number());
        if (!holders.empty())
            return fail(ErrorCode::InUse,
                        fmt::format("member {} of pool '{}' is held by device {}: the pool is in use elsewhere on this "
                                    "machine; stop that first, or import with \"force\"",
                                    member.device.path(), name, holders.front().to_string()));
    }
    return {};
}

// Writes `next` as the pool's document on every present member: precommitted everywhere, then
// committed everywhere, as a transaction does.
Result<void> write_document(ManagedPool& managed, const model::Pool& next)
{
    // The other host may have left a transaction behind, and a member a copy of any seq: the
    // import goes above all of them.
    std::uint64_t seq = managed.seq;
    for (auto& member : managed.members) {
        if (auto dropped = member.area.drop_precommitted(); !dropped)
            return std::unexpected(from_metadata(dropped.error()));
        if (member.area.committed())
            seq = std::max(seq, member.area.committed()->seq);
    }
    ++seq;
    auto document = metadata::encode_document({seq, next.uuid, model::encode_pool(next)});
    if (!document)
        return std::unexpected(from_metadata(document.error()));
    PoolMetadataCommit commit(managed.writable(next), std::move(*document), seq);
    if (auto written = commit.write_precommitted(); !written) {
        (void)commit.drop_precommitted();
        return std::unexpected(from_executor(written.error()));
    }
    if (auto committed = commit.commit(); !committed)
        return std::unexpected(from_executor(committed.error()));
    return {};
}

}  // namespace

Result<PoolSummary> Engine::import_pool(std::string_view wanted, bool force)
{
    std::shared_ptr<ManagedPool> target;
    {
        std::lock_guard guard(pools_lock_);
        for (const auto& pool : pools_) {
            std::lock_guard view(pool->view_lock);
            if (pool->pool.name == wanted || pool->pool.uuid.to_string() == wanted) {
                target = pool;
                break;
            }
        }
    }
    if (!target)
        return fail(ErrorCode::NotFound, fmt::format("no pool named '{}' or with that uuid", wanted));
    std::unique_lock guard(target->lock);
    if (target->destroyed)
        return fail(ErrorCode::NotFound, fmt::format("no pool named '{}' or with that uuid", wanted));
    if (auto importable = check_importable(*target, force); !importable)
        return std::unexpected(importable.error());
    if (host_.empty())
        return fail(ErrorCode::Failed, "this machine has no machine-id (/etc/machine-id), so it cannot own a pool");

    auto next = target->pool;
    next.owner = host_;
    if (auto written = write_document(*target, next); !written)
        return fail(written.error().code, fmt::format("importing pool '{}': {}", next.name, written.error().message));

    devices::FoundPool found{next.uuid, {}};
    for (const auto& member : target->members)
        found.members.push_back({member.device.path(), member.device.number(), member.area.label()});
    {
        std::lock_guard view(target->view_lock);
        target->destroyed = true;
        target->members.clear();
    }
    auto assembled = assemble(found);
    if (!assembled) {
        std::lock_guard pools(pools_lock_);
        std::erase(pools_, target);
        problems_.push_back(assembled.error().message);
        return fail(ErrorCode::Failed, fmt::format("pool '{}' was imported, but reading it back failed: {}", next.name,
                                                   assembled.error().message));
    }
    std::shared_ptr<ManagedPool> imported = std::move(*assembled);
    bring_up(*imported);
    {
        std::lock_guard pools(pools_lock_);
        std::replace(pools_.begin(), pools_.end(), target, imported);
    }
    std::lock_guard view(imported->view_lock);
    return summarize_pool(*imported);
}

}  // namespace volumes::engine
