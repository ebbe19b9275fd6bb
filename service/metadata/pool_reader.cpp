#include "service/metadata/pool_reader.hpp"

#include <set>

#include <fmt/core.h>

#include "service/metadata/metadata_area.hpp"

namespace volumes::metadata {

namespace {

struct ValidCopy {
    std::size_t member = 0;  // index into the members given
    std::string bytes;
    Document document;
};

enum class CopyKind { Committed, Precommitted };

const char* name_of(CopyKind kind)
{
    return kind == CopyKind::Committed ? "committed" : "precommitted";
}

// One copy of one member, checked all the way down to its envelope. Returns nothing, with the
// reason in `report.problems`, when the copy does not count. Only Unsupported fails outright.
Result<std::optional<ValidCopy>> read_valid_copy(const MetadataArea& area, std::size_t member, CopyKind kind,
                                                 MemberReport& report)
{
    const auto copy = kind == CopyKind::Committed ? area.read_committed() : area.read_precommitted();
    if (!copy) {
        if (kind == CopyKind::Committed || copy.error().code != ErrorCode::NotFound)
            report.problems.push_back(copy.error().message);
        return std::nullopt;
    }
    auto document = decode_document(copy->bytes);
    if (!document) {
        if (document.error().code == ErrorCode::Unsupported)
            return fail(ErrorCode::Unsupported,
                        fmt::format("member {}: {}", area.label().member_uuid.to_string(), document.error().message));
        report.problems.push_back(fmt::format("{} copy (seq {}): {}", name_of(kind), copy->seq, document.error().message));
        return std::nullopt;
    }
    if (document->seq != copy->seq) {
        report.problems.push_back(fmt::format("{} copy: its header says seq {} but the document says {}", name_of(kind),
                                              copy->seq, document->seq));
        return std::nullopt;
    }
    if (document->pool_uuid != area.label().pool_uuid) {
        report.problems.push_back(fmt::format("{} copy (seq {}) is a document of pool {}", name_of(kind), copy->seq,
                                              document->pool_uuid.to_string()));
        return std::nullopt;
    }
    return ValidCopy{member, copy->bytes, std::move(*document)};
}

Result<void> check_same_pool(std::span<const MemberDevice> members)
{
    if (members.empty())
        return fail(ErrorCode::InvalidArgument, "a pool needs at least one member");
    const auto& pool_uuid = members.front().label.pool_uuid;
    std::set<Uuid> seen;
    for (const auto& member : members) {
        if (member.label.pool_uuid != pool_uuid)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("member {} belongs to pool {}, not to pool {}", member.label.member_uuid.to_string(),
                                    member.label.pool_uuid.to_string(), pool_uuid.to_string()));
        if (!seen.insert(member.label.member_uuid).second)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("member {} of pool {} is given twice (the same device, or a copy of it)",
                                    member.label.member_uuid.to_string(), pool_uuid.to_string()));
    }
    return {};
}

const ValidCopy& highest(const std::vector<ValidCopy>& copies)
{
    const ValidCopy* best = &copies.front();
    for (const auto& copy : copies)
        if (copy.document.seq > best->document.seq)
            best = &copy;
    return *best;
}

}  // namespace

Result<PoolMetadata> read_pool(std::span<const MemberDevice> members)
{
    if (auto same = check_same_pool(members); !same)
        return std::unexpected(same.error());
    const auto pool_name = members.front().label.pool_uuid.to_string();

    PoolMetadata pool;
    std::vector<ValidCopy> committed;
    std::vector<ValidCopy> precommitted;
    std::size_t never_committed = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        auto& report = pool.members.emplace_back();
        report.member_uuid = members[i].label.member_uuid;
        const auto area = MetadataArea::open(members[i].fd, members[i].label);
        if (!area) {
            if (area.error().code == ErrorCode::Unsupported)
                return std::unexpected(area.error());
            if (area.error().code == ErrorCode::NotFound)
                ++never_committed;
            report.problems.push_back(area.error().message);
            continue;
        }
        if (!area->committed())
            ++never_committed;
        auto committed_copy = read_valid_copy(*area, i, CopyKind::Committed, report);
        if (!committed_copy)
            return std::unexpected(committed_copy.error());
        if (*committed_copy) {
            report.committed_seq = (*committed_copy)->document.seq;
            committed.push_back(std::move(**committed_copy));
        }
        auto precommitted_copy = read_valid_copy(*area, i, CopyKind::Precommitted, report);
        if (!precommitted_copy)
            return std::unexpected(precommitted_copy.error());
        if (*precommitted_copy) {
            report.precommitted_seq = (*precommitted_copy)->document.seq;
            precommitted.push_back(std::move(**precommitted_copy));
        }
    }

    if (committed.empty()) {
        if (never_committed == members.size())
            return fail(ErrorCode::NotFound,
                        fmt::format("pool {} has no committed metadata on any of its {} members: its creation never committed",
                                    pool_name, members.size()));
        std::string problems;
        for (const auto& report : pool.members)
            for (const auto& problem : report.problems)
                problems += fmt::format("; {}", problem);
        return fail(ErrorCode::Corrupt, fmt::format("pool {} has no valid committed metadata on any of its {} members{}",
                                                    pool_name, members.size(), problems));
    }

    const auto& winner = highest(committed);
    for (const auto& copy : committed)
        if (copy.document.seq == winner.document.seq && copy.bytes != winner.bytes)
            return fail(ErrorCode::Corrupt,
                        fmt::format("members {} and {} of pool {} hold different committed metadata under the same seq {}",
                                    members[winner.member].label.member_uuid.to_string(),
                                    members[copy.member].label.member_uuid.to_string(), pool_name, copy.document.seq));
    pool.committed = winner.document;
    for (auto& report : pool.members) {
        if (report.committed_seq == pool.committed.seq)
            continue;
        report.stale = true;
        if (report.committed_seq)
            report.problems.push_back(fmt::format("its committed seq {} is older than the pool's seq {}", *report.committed_seq,
                                                  pool.committed.seq));
    }

    // Precommitted copies at or below the committed seq are leftovers of transactions that
    // did commit; they are in the member reports only.
    std::erase_if(precommitted, [&](const ValidCopy& copy) { return copy.document.seq <= pool.committed.seq; });
    if (precommitted.empty())
        return pool;
    const auto& pending = highest(precommitted);
    PendingCopy copy{pending.document, {}};
    for (const auto& other : precommitted) {
        if (other.document.seq != pending.document.seq)
            continue;
        if (other.bytes == pending.bytes)
            copy.members.push_back(members[other.member].label.member_uuid);
        else
            pool.members[other.member].problems.push_back(fmt::format(
                "its precommitted seq {} differs from member {}'s", other.document.seq,
                members[pending.member].label.member_uuid.to_string()));
    }
    pool.precommitted = std::move(copy);
    return pool;
}

}  // namespace volumes::metadata
