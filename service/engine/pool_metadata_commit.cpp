#include "service/engine/pool_metadata_commit.hpp"

#include <fmt/core.h>

#include "service/executor/fault_point.hpp"

namespace volumes::engine {

namespace {

executor::Error metadata_error(const OpenMember& member, std::string_view what, const metadata::Error& error)
{
    return {executor::ErrorCode::Metadata,
            fmt::format("{} the metadata of member {}: {}", what, member.device.path(), error.message)};
}

}  // namespace

executor::Result<void> PoolMetadataCommit::write_precommitted()
{
    unwritable_.reset();
    for (std::size_t i = 0; i < members_.size(); ++i) {
        auto& member = *members_[i];
        auto written = member.area.write_precommitted(document_, seq_);
        if (!written) {
            if (written.error().code == metadata::ErrorCode::Io)
                unwritable_ = member.area.label().member_uuid;
            auto error = metadata_error(member, "writing", written.error());
            drop_precommitted();
            return std::unexpected(error);
        }
        if (i == 0 && members_.size() > 1) {
            if (auto fault = executor::fault_point("member-precommitted"); !fault) {
                drop_precommitted();
                return fault;
            }
        }
    }
    return {};
}

executor::Result<void> PoolMetadataCommit::commit()
{
    bool any_committed = false;
    for (std::size_t i = 0; i < members_.size(); ++i) {
        auto& member = *members_[i];
        auto committed = member.area.commit();
        if (!committed) {
            if (!any_committed)
                return std::unexpected(metadata_error(member, "committing", committed.error()));
            stale_.push_back(member.device.path());
            continue;
        }
        any_committed = true;
        if (i == 0 && members_.size() > 1) {
            if (auto fault = executor::fault_point("member-committed"); !fault) {
                for (std::size_t rest = 1; rest < members_.size(); ++rest)
                    stale_.push_back(members_[rest]->device.path());
                return {};
            }
        }
    }
    return {};
}

executor::Result<void> PoolMetadataCommit::drop_precommitted()
{
    std::string problems;
    for (auto* member : members_)
        if (auto dropped = member->area.drop_precommitted(); !dropped)
            problems += metadata_error(*member, "dropping the precommitted copy from", dropped.error()).message + "; ";
    if (!problems.empty())
        return executor::fail(executor::ErrorCode::Metadata, problems);
    return {};
}

}  // namespace volumes::engine
