#include "service/engine/pool_assembly.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "service/engine/error_translation.hpp"
#include "service/metadata/document.hpp"
#include "service/metadata/pool_reader.hpp"
#include "service/model/pool_codec.hpp"

namespace volumes::engine {

namespace {

std::vector<OpenMember> open_members(const devices::FoundPool& found, std::vector<std::string>& problems)
{
    std::vector<OpenMember> members;
    for (const auto& member : found.members) {
        auto device = devices::BlockDevice::open(member.path, true);
        if (!device) {
            problems.push_back(fmt::format("{}: {}", member.path, device.error().message));
            continue;
        }
        auto area = metadata::MetadataArea::open(device->fd(), member.label);
        if (!area) {
            problems.push_back(fmt::format("{}: {}", member.path, area.error().message));
            continue;
        }
        members.push_back({std::move(*device), std::move(*area)});
    }
    return members;
}

void roll_back_precommitted(std::vector<OpenMember>& members, std::vector<std::string>& problems)
{
    for (auto& member : members)
        if (auto dropped = member.area.drop_precommitted(); !dropped)
            problems.push_back(fmt::format("{}: dropping an uncommitted transaction: {}", member.device.path(),
                                           dropped.error().message));
}

void rewrite_stale(std::vector<OpenMember>& members, const metadata::PoolMetadata& read,
                   std::vector<std::string>& problems)
{
    auto encoded = metadata::encode_document(read.committed);
    if (!encoded) {
        problems.push_back("re-encoding the committed document: " + encoded.error().message);
        return;
    }
    for (const auto& report : read.members) {
        if (!report.stale)
            continue;
        auto member = std::find_if(members.begin(), members.end(), [&](const OpenMember& m) {
            return m.area.label().member_uuid == report.member_uuid;
        });
        if (member == members.end())
            continue;
        auto rewritten = member->area.drop_precommitted();
        if (rewritten)
            rewritten = member->area.write_precommitted(*encoded, read.committed.seq);
        if (rewritten)
            rewritten = member->area.commit();
        if (!rewritten)
            problems.push_back(fmt::format("{}: rewriting its stale metadata: {}", member->device.path(),
                                           rewritten.error().message));
    }
}

}  // namespace

Result<std::unique_ptr<ManagedPool>> assemble_pool(const devices::FoundPool& found)
{
    auto managed = std::make_unique<ManagedPool>();
    managed->members = open_members(found, managed->problems);
    std::vector<metadata::MemberDevice> readable;
    for (const auto& member : managed->members)
        readable.push_back({member.device.fd(), member.area.label()});
    auto read = metadata::read_pool(readable);
    if (!read)
        return fail(from_metadata(read.error()).code,
                    fmt::format("pool {}: {}", found.pool_uuid.to_string(), read.error().message));
    if (read->precommitted)
        roll_back_precommitted(managed->members, managed->problems);
    rewrite_stale(managed->members, *read, managed->problems);
    for (const auto& report : read->members)
        for (const auto& problem : report.problems)
            managed->problems.push_back(fmt::format("member {}: {}", report.member_uuid.to_string(), problem));

    auto pool = model::decode_pool(read->committed.pool);
    if (!pool)
        return fail(ErrorCode::Failed,
                    fmt::format("pool {}: its metadata does not decode: {}", found.pool_uuid.to_string(),
                                pool.error().message));
    if (pool->uuid != read->committed.pool_uuid)
        return fail(ErrorCode::Failed, fmt::format("pool {}: its document names pool {} inside", found.pool_uuid.to_string(),
                                                   pool->uuid.to_string()));
    managed->pool = std::move(*pool);
    managed->seq = read->committed.seq;
    for (const auto& member : managed->pool.members) {
        const bool found_member = std::any_of(managed->members.begin(), managed->members.end(), [&](const auto& m) {
            return m.area.label().member_uuid == member.uuid;
        });
        if (!found_member)
            managed->missing.push_back(member.uuid);
    }
    return managed;
}

}  // namespace volumes::engine
