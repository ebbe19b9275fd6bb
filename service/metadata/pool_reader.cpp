#include "service/metadata/pool_reader.hpp"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "service/metadata/metadata_area.hpp"

namespace volumes::metadata {

namespace {

struct ValidCopy {
    std::size_t device = 0;  // index into the devices given
    std::string bytes;
    Document document;
    std::vector<ListedMember> listed;
};

enum class CopyKind { Committed, Precommitted };

const char* name_of(CopyKind kind)
{
    return kind == CopyKind::Committed ? "committed" : "precommitted";
}

bool lists(const std::vector<ListedMember>& listed, const Uuid& member)
{
    return std::any_of(listed.begin(), listed.end(), [&](const ListedMember& m) { return m.member_uuid == member; });
}

// One copy of one device, checked down to the pool model. Returns nothing, with the reason in
// `report.problems`, when the copy does not count; a copy of a newer format also sets
// `unsupported`, which fails the pool only if the device turns out to be a member.
std::optional<ValidCopy> read_valid_copy(const MetadataArea& area, std::size_t device, CopyKind kind,
                                         const DocumentCheck& check, MemberReport& report, bool& unsupported)
{
    const auto copy = kind == CopyKind::Committed ? area.read_committed() : area.read_precommitted();
    if (!copy) {
        if (kind == CopyKind::Committed || copy.error().code != ErrorCode::NotFound)
            report.problems.push_back(copy.error().message);
        return std::nullopt;
    }
    auto document = decode_document(copy->bytes);
    if (!document) {
        unsupported = unsupported || document.error().code == ErrorCode::Unsupported;
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
    auto listed = check(*document);
    if (!listed) {
        unsupported = unsupported || listed.error().code == ErrorCode::Unsupported;
        report.problems.push_back(fmt::format("{} copy (seq {}): {}", name_of(kind), copy->seq, listed.error().message));
        return std::nullopt;
    }
    if (kind == CopyKind::Committed) {
        const auto& label = area.label();
        const auto self = std::find_if(listed->begin(), listed->end(),
                                       [&](const ListedMember& m) { return m.member_uuid == label.member_uuid; });
        if (self == listed->end() || self->extent_count != label.extent_count()) {
            report.problems.push_back(fmt::format("committed copy (seq {}) does not list this device{}", copy->seq,
                                                  self == listed->end() ? "" : " with its size"));
            return std::nullopt;
        }
    }
    return ValidCopy{device, copy->bytes, std::move(*document), std::move(*listed)};
}

Result<void> check_same_pool(std::span<const MemberDevice> devices)
{
    if (devices.empty())
        return fail(ErrorCode::InvalidArgument, "a pool needs at least one member");
    const auto& pool_uuid = devices.front().label.pool_uuid;
    std::set<Uuid> seen;
    for (const auto& device : devices) {
        if (device.label.pool_uuid != pool_uuid)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("member {} belongs to pool {}, not to pool {}", device.label.member_uuid.to_string(),
                                    device.label.pool_uuid.to_string(), pool_uuid.to_string()));
        if (!seen.insert(device.label.member_uuid).second)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("member {} of pool {} is given twice (the same device, or a copy of it)",
                                    device.label.member_uuid.to_string(), pool_uuid.to_string()));
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

// Why `candidate` is not the pool's document, or nullopt when every other device it lists
// confirms it: holds the same bytes, or a copy that lists one of its holders.
std::optional<std::string> unconfirmed(const ValidCopy& candidate, const std::vector<ValidCopy>& committed,
                                       std::span<const MemberDevice> devices)
{
    std::vector<Uuid> holders;
    for (const auto& copy : committed)
        if (copy.bytes == candidate.bytes)
            holders.push_back(devices[copy.device].label.member_uuid);
    for (const auto& copy : committed) {
        const auto& member = devices[copy.device].label.member_uuid;
        if (copy.bytes == candidate.bytes || !lists(candidate.listed, member))
            continue;
        const bool confirms = std::any_of(holders.begin(), holders.end(),
                                          [&](const Uuid& holder) { return lists(copy.listed, holder); });
        if (!confirms)
            return fmt::format("the seq {} document of member {} lists member {}, whose own document (seq {}) does "
                               "not list it",
                               candidate.document.seq, devices[candidate.device].label.member_uuid.to_string(),
                               member.to_string(), copy.document.seq);
    }
    return std::nullopt;
}

}  // namespace

Result<PoolMetadata> read_pool(std::span<const MemberDevice> devices, const DocumentCheck& check)
{
    if (auto same = check_same_pool(devices); !same)
        return std::unexpected(same.error());
    const auto pool_name = devices.front().label.pool_uuid.to_string();

    std::vector<MemberReport> reports(devices.size());
    std::vector<bool> unsupported(devices.size(), false);
    std::vector<ValidCopy> committed;
    std::vector<ValidCopy> precommitted;
    std::size_t never_committed = 0;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        auto& report = reports[i];
        report.member_uuid = devices[i].label.member_uuid;
        report.device = i;
        const auto area = MetadataArea::open(devices[i].fd, devices[i].label);
        if (!area) {
            unsupported[i] = area.error().code == ErrorCode::Unsupported;
            if (area.error().code == ErrorCode::NotFound)
                ++never_committed;
            report.problems.push_back(area.error().message);
            continue;
        }
        if (!area->committed())
            ++never_committed;
        bool newer = false;
        auto committed_copy = read_valid_copy(*area, i, CopyKind::Committed, check, report, newer);
        if (committed_copy) {
            report.committed_seq = committed_copy->document.seq;
            committed.push_back(std::move(*committed_copy));
        }
        auto precommitted_copy = read_valid_copy(*area, i, CopyKind::Precommitted, check, report, newer);
        if (precommitted_copy) {
            report.precommitted_seq = precommitted_copy->document.seq;
            precommitted.push_back(std::move(*precommitted_copy));
        }
        unsupported[i] = newer;
    }

    const auto all_problems = [&] {
        std::string problems;
        for (const auto& report : reports)
            for (const auto& problem : report.problems)
                problems += fmt::format("; member {}: {}", report.member_uuid.to_string(), problem);
        return problems;
    };
    const auto newer_format = [&](std::size_t device) {
        return fail(ErrorCode::Unsupported,
                    fmt::format("pool {}: member {} was written by a newer volumesd: {}", pool_name,
                                devices[device].label.member_uuid.to_string(),
                                reports[device].problems.empty() ? std::string("a newer format")
                                                                 : reports[device].problems.back()));
    };
    const auto first_newer = std::find(unsupported.begin(), unsupported.end(), true);
    if (committed.empty()) {
        if (first_newer != unsupported.end())
            return newer_format(static_cast<std::size_t>(first_newer - unsupported.begin()));
        if (never_committed == devices.size())
            return fail(ErrorCode::NotFound,
                        fmt::format("pool {} has no committed metadata on any of its {} members: its creation never committed",
                                    pool_name, devices.size()));
        return fail(ErrorCode::Corrupt, fmt::format("pool {} has no valid committed metadata on any of its {} members{}",
                                                    pool_name, devices.size(), all_problems()));
    }

    // Highest seq first; a candidate that its own listed members contradict never wins.
    std::vector<const ValidCopy*> candidates;
    for (const auto& copy : committed)
        candidates.push_back(&copy);
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const ValidCopy* a, const ValidCopy* b) { return a->document.seq > b->document.seq; });
    const ValidCopy* winner = nullptr;
    std::vector<std::string> rejected;
    for (const auto* candidate : candidates) {
        if (auto why = unconfirmed(*candidate, committed, devices)) {
            rejected.push_back(std::move(*why));
            continue;
        }
        winner = candidate;
        break;
    }
    if (!winner && first_newer != unsupported.end())
        return newer_format(static_cast<std::size_t>(first_newer - unsupported.begin()));
    if (!winner) {
        std::string reasons;
        for (const auto& reason : rejected)
            reasons += "; " + reason;
        return fail(ErrorCode::Corrupt,
                    fmt::format("pool {}: no committed document is confirmed by the members it lists{}", pool_name, reasons));
    }

    const auto listed_device = [&](std::size_t device) { return lists(winner->listed, devices[device].label.member_uuid); };
    // A member of a newer format: this version must not rewrite what it cannot read.
    for (std::size_t i = 0; i < devices.size(); ++i)
        if (unsupported[i] && listed_device(i))
            return newer_format(i);
    for (const auto& copy : committed)
        if (listed_device(copy.device) && copy.document.seq == winner->document.seq && copy.bytes != winner->bytes)
            return fail(ErrorCode::Corrupt,
                        fmt::format("members {} and {} of pool {} hold different committed metadata under the same seq {}",
                                    devices[winner->device].label.member_uuid.to_string(),
                                    devices[copy.device].label.member_uuid.to_string(), pool_name, copy.document.seq));

    // A device the winner does not list, whose own document lists none of the winner's
    // devices, is the other half of two sets that each claim to be the pool: no side can be
    // believed over the other.
    for (const auto& copy : committed) {
        if (listed_device(copy.device))
            continue;
        const bool overlaps = std::any_of(devices.begin(), devices.end(), [&](const MemberDevice& device) {
            return lists(winner->listed, device.label.member_uuid) && lists(copy.listed, device.label.member_uuid);
        });
        if (!overlaps)
            return fail(ErrorCode::Corrupt,
                        fmt::format("pool {}: member {} (seq {}) and member {} (seq {}) each belong to a set of devices "
                                    "that claims the whole pool without the other; detach the devices that do not "
                                    "belong to this machine's pool",
                                    pool_name, devices[winner->device].label.member_uuid.to_string(),
                                    winner->document.seq, devices[copy.device].label.member_uuid.to_string(),
                                    copy.document.seq));
    }

    PoolMetadata pool;
    pool.committed = winner->document;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const auto& label = devices[i].label;
        const auto listed = std::find_if(winner->listed.begin(), winner->listed.end(),
                                         [&](const ListedMember& m) { return m.member_uuid == label.member_uuid; });
        if (listed == winner->listed.end()) {
            pool.intruders.push_back({i, label.member_uuid,
                                      fmt::format("it claims pool {} as member {}, which the pool's seq {} document "
                                                  "does not list",
                                                  pool_name, label.member_uuid.to_string(), winner->document.seq)});
            continue;
        }
        if (listed->extent_count != label.extent_count()) {
            pool.intruders.push_back({i, label.member_uuid,
                                      fmt::format("it claims to be member {} of pool {} with {} extents; the pool's "
                                                  "document says {}",
                                                  label.member_uuid.to_string(), pool_name, label.extent_count(),
                                                  listed->extent_count)});
            continue;
        }
        auto report = std::move(reports[i]);
        if (report.committed_seq != pool.committed.seq ||
            std::none_of(committed.begin(), committed.end(),
                         [&](const ValidCopy& copy) { return copy.device == i && copy.bytes == winner->bytes; })) {
            report.stale = true;
            if (report.committed_seq && *report.committed_seq < pool.committed.seq)
                report.problems.push_back(fmt::format("its committed seq {} is older than the pool's seq {}",
                                                      *report.committed_seq, pool.committed.seq));
        }
        pool.members.push_back(std::move(report));
    }

    // Precommitted copies at or below the committed seq are leftovers of transactions that
    // did commit; they are in the member reports only. An intruder's never count.
    std::erase_if(precommitted, [&](const ValidCopy& copy) {
        return copy.document.seq <= pool.committed.seq || !listed_device(copy.device) ||
               std::any_of(pool.intruders.begin(), pool.intruders.end(),
                           [&](const Intruder& intruder) { return intruder.device == copy.device; });
    });
    if (precommitted.empty())
        return pool;
    const auto& pending = highest(precommitted);
    PendingCopy copy{pending.document, {}};
    for (const auto& other : precommitted) {
        if (other.document.seq != pending.document.seq)
            continue;
        if (other.bytes == pending.bytes) {
            copy.members.push_back(devices[other.device].label.member_uuid);
            continue;
        }
        for (auto& report : pool.members)
            if (report.device == other.device)
                report.problems.push_back(fmt::format("its precommitted seq {} differs from member {}'s",
                                                      other.document.seq,
                                                      devices[pending.device].label.member_uuid.to_string()));
    }
    pool.precommitted = std::move(copy);
    return pool;
}

Result<PoolMetadata> read_pool(std::span<const MemberDevice> devices)
{
    std::vector<ListedMember> every_device;
    for (const auto& device : devices)
        every_device.push_back({device.label.member_uuid, device.label.extent_count()});
    return read_pool(devices, [&](const Document&) -> Result<std::vector<ListedMember>> { return every_device; });
}

}  // namespace volumes::metadata
