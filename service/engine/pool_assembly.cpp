#include "service/engine/pool_assembly.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include <fmt/core.h>

#include "kmod/device_mapper.hpp"
#include "kmod/messages/thin_pool_messages.hpp"
#include "service/devices/unique_fd.hpp"
#include "service/engine/error_translation.hpp"
#include "service/engine/kernel_thin_status.hpp"
#include "service/logging/log.hpp"
#include "service/metadata/document.hpp"
#include "service/metadata/pool_reader.hpp"
#include "service/model/names.hpp"
#include "service/model/pool_codec.hpp"
#include "service/model/volume_lookup.hpp"

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

// Returns the members whose precommitted copy is gone.
std::vector<metadata::Uuid> roll_back_precommitted(std::vector<OpenMember>& members,
                                                   std::vector<std::string>& problems)
{
    std::vector<metadata::Uuid> cleared;
    for (auto& member : members) {
        if (auto dropped = member.area.drop_precommitted(); dropped)
            cleared.push_back(member.area.label().member_uuid);
        else
            problems.push_back(fmt::format("{}: dropping an uncommitted transaction: {}", member.device.path(),
                                           dropped.error().message));
    }
    return cleared;
}

// Returns the stale members that now hold the committed document, and nothing else.
std::vector<metadata::Uuid> rewrite_stale(std::vector<OpenMember>& members, const metadata::PoolMetadata& read,
                                          std::vector<std::string>& problems)
{
    std::vector<metadata::Uuid> done;
    auto encoded = metadata::encode_document(read.committed);
    if (!encoded) {
        problems.push_back("re-encoding the committed document: " + encoded.error().message);
        return done;
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
        if (rewritten)
            done.push_back(report.member_uuid);
        else
            problems.push_back(fmt::format("{}: rewriting its stale metadata: {}", member->device.path(),
                                           rewritten.error().message));
    }
    return done;
}

// The thin pools whose transaction id the precommitted model advances. A precommitted
// document whose thin-pool messages all went through (the kernel's transaction id is the new
// one) is rolled forward, since the pool's own metadata already says what it describes.
struct ThinAdvance {
    model::Uuid pool_volume;
    std::uint64_t committed_id = 0;
    std::uint64_t precommitted_id = 0;
    std::vector<std::uint32_t> new_thin_ids;  // in the precommitted model only
};

std::vector<ThinAdvance> thin_advances(const model::Pool& committed, const model::Pool& precommitted)
{
    std::vector<ThinAdvance> advances;
    for (const auto& volume : precommitted.volumes) {
        const auto* after = std::get_if<model::ThinPoolLayout>(&volume.layout);
        const auto* before_volume = model::find_volume(committed, volume.uuid);
        const auto* before = before_volume ? std::get_if<model::ThinPoolLayout>(&before_volume->layout) : nullptr;
        if (!after || !before || after->transaction_id == before->transaction_id)
            continue;
        ThinAdvance advance{volume.uuid, before->transaction_id, after->transaction_id, {}};
        for (const auto& thin_volume : precommitted.volumes) {
            const auto* thin = std::get_if<model::ThinLayout>(&thin_volume.layout);
            if (thin && thin->pool == volume.uuid && !model::find_volume(committed, thin_volume.uuid))
                advance.new_thin_ids.push_back(thin->thin_id);
        }
        advances.push_back(std::move(advance));
    }
    return advances;
}

// The transaction id in a thin pool's on-disk superblock, for a thin pool with no live device
// (after a reboot): dm-thin-metadata.c struct thin_disk_superblock, little-endian, blocknr at
// byte 8 (0), magic at 32 (27022010), trans_id at 48, at the start of the tmeta sub-volume's
// first extent. Read with O_DIRECT: dm-thin writes around the member device's page cache.
// nullopt when it cannot be read or is no formatted superblock.
std::optional<std::uint64_t> on_disk_transaction_id(const std::vector<OpenMember>& members,
                                                    const model::Volume& pool_volume)
{
    const auto* layout = std::get_if<model::ThinPoolLayout>(&pool_volume.layout);
    if (!layout || layout->meta.empty())
        return std::nullopt;
    const auto& run = layout->meta.front();
    const auto member = std::find_if(members.begin(), members.end(), [&](const OpenMember& m) {
        return m.area.label().member_uuid == run.member;
    });
    if (member == members.end())
        return std::nullopt;
    const auto& label = member->area.label();
    const auto offset = label.data_start + run.start * label.extent_size;
    constexpr std::size_t block = 4096;
    const devices::UniqueFd fd(::open(member->device.path().c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
    if (!fd)
        return std::nullopt;
    void* raw = nullptr;
    if (::posix_memalign(&raw, block, block) != 0)
        return std::nullopt;
    const std::unique_ptr<unsigned char, decltype(&std::free)> buffer(static_cast<unsigned char*>(raw), &std::free);
    if (::pread(fd.get(), buffer.get(), block, static_cast<off_t>(offset)) != static_cast<ssize_t>(block))
        return std::nullopt;
    const auto le64 = [&](std::size_t at) {
        std::uint64_t value = 0;
        for (std::size_t i = 8; i-- > 0;)
            value = (value << 8) | buffer.get()[at + i];
        return value;
    };
    constexpr std::uint64_t thin_superblock_magic = 27022010;
    if (le64(8) != 0 || le64(32) != thin_superblock_magic)
        return std::nullopt;
    return le64(48);
}

// Whether every advanced thin pool's transaction id, the kernel's or, with no live device, its
// on-disk superblock's, is the precommitted one; for the others, the thin ids the interrupted
// change may have created are deleted (best effort, live pools only), so the rolled-back model
// and the pool's metadata agree again.
bool thin_messages_went_through(const std::vector<OpenMember>& members, const model::Pool& committed,
                                const model::Pool& precommitted, std::vector<std::string>& problems)
{
    const auto advances = thin_advances(committed, precommitted);
    if (advances.empty())
        return false;
    bool all = true;
    for (const auto& advance : advances) {
        const auto dm_uuid = model::dm_uuid(precommitted.uuid, advance.pool_volume);
        auto usage = read_thin_pool_usage(dm_uuid);
        if (usage && *usage && (*usage)->transaction_id == advance.precommitted_id)
            continue;
        if (usage && !*usage) {
            // No live device: a reboot. The pool's own metadata on disk tells.
            const auto* volume = model::find_volume(precommitted, advance.pool_volume);
            const auto on_disk = volume ? on_disk_transaction_id(members, *volume) : std::nullopt;
            if (on_disk == advance.precommitted_id)
                continue;
            all = false;
            if (on_disk != advance.committed_id)
                problems.push_back(fmt::format("thin pool {}: its metadata on disk shows transaction id {}, the "
                                               "committed metadata {}",
                                               advance.pool_volume.to_string(),
                                               on_disk ? std::to_string(*on_disk) : std::string("unreadable"),
                                               advance.committed_id));
            continue;
        }
        all = false;
        if (!usage)
            continue;
        const auto device = kmod::DeviceId::by_uuid(dm_uuid);
        for (const auto id : advance.new_thin_ids)
            if (auto message = kmod::delete_thin_message(id))
                (void)kmod::dm::message(device, *message);
        problems.push_back(fmt::format("thin pool {}: an interrupted change left transaction id {} (committed {}); "
                                       "its new thin ids were deleted",
                                       advance.pool_volume.to_string(), (*usage)->transaction_id,
                                       advance.committed_id));
    }
    return all;
}

// Makes the precommitted document every member's committed one.
Result<void> roll_forward(std::vector<OpenMember>& members, const metadata::PendingCopy& pending)
{
    auto encoded = metadata::encode_document(pending.document);
    if (!encoded)
        return std::unexpected(from_metadata(encoded.error()));
    for (auto& member : members) {
        const bool holds = std::find(pending.members.begin(), pending.members.end(), member.area.label().member_uuid) !=
                           pending.members.end();
        metadata::Result<void> done;
        if (!holds) {
            done = member.area.drop_precommitted();
            if (done)
                done = member.area.write_precommitted(*encoded, pending.document.seq);
        }
        if (done)
            done = member.area.commit();
        if (!done)
            return std::unexpected(from_metadata(done.error()));
    }
    return {};
}

}  // namespace

MemberFindings member_findings(const std::vector<metadata::MemberReport>& reports,
                               const std::vector<metadata::Uuid>& rewritten, const std::vector<metadata::Uuid>& cleared)
{
    const auto holds = [](const std::vector<metadata::Uuid>& set, const metadata::Uuid& uuid) {
        return std::find(set.begin(), set.end(), uuid) != set.end();
    };
    MemberFindings findings;
    for (const auto& report : reports) {
        // A member that is not stale holds the committed document: what was wrong with it is
        // its precommitted copy, gone once dropped.
        const bool repaired =
            holds(rewritten, report.member_uuid) || (!report.stale && holds(cleared, report.member_uuid));
        for (const auto& problem : report.problems)
            (repaired ? findings.repaired : findings.standing)
                .push_back(fmt::format("member {}: {}", report.member_uuid.to_string(), problem));
    }
    return findings;
}

Result<std::unique_ptr<ManagedPool>> assemble_pool(const devices::FoundPool& found, const std::string& this_host)
{
    auto managed = std::make_unique<ManagedPool>();
    managed->members = open_members(found, managed->problems);
    std::vector<metadata::MemberDevice> readable;
    for (const auto& member : managed->members)
        readable.push_back({member.device.fd(), member.area.label()});
    const auto pool_uuid = found.pool_uuid;
    auto read = metadata::read_pool(readable, [&](const metadata::Document& document)
                                                  -> metadata::Result<std::vector<metadata::ListedMember>> {
        auto pool = model::decode_pool(document.pool);
        if (!pool)
            return metadata::fail(pool.error().code == model::ErrorCode::Unsupported ? metadata::ErrorCode::Unsupported
                                                                                     : metadata::ErrorCode::Corrupt,
                                  "its pool object: " + pool.error().message);
        if (pool->uuid != pool_uuid)
            return metadata::fail(metadata::ErrorCode::Corrupt,
                                  fmt::format("its pool object names pool {}", pool->uuid.to_string()));
        std::vector<metadata::ListedMember> listed;
        for (const auto& member : pool->members)
            listed.push_back({member.uuid, member.extent_count});
        return listed;
    });
    if (!read)
        return fail(from_metadata(read.error()).code,
                    fmt::format("pool {}: {}", pool_uuid.to_string(), read.error().message));

    // Intruders are closed here: nothing of the pool's ever reads or writes them again.
    for (const auto& intruder : read->intruders) {
        const auto& path = managed->members[intruder.device].device.path();
        managed->problems.push_back(fmt::format("{} is not a member, left untouched: {}", path, intruder.reason));
    }
    std::vector<OpenMember> listed;
    for (std::size_t i = 0; i < managed->members.size(); ++i)
        if (std::none_of(read->intruders.begin(), read->intruders.end(),
                         [&](const metadata::Intruder& intruder) { return intruder.device == i; }))
            listed.push_back(std::move(managed->members[i]));
    managed->members = std::move(listed);

    // The read already decoded and checked every copy it counted; this cannot fail.
    auto pool = model::decode_pool(read->committed.pool);
    if (!pool)
        return fail(ErrorCode::Failed, fmt::format("pool {}: its metadata does not decode: {}", pool_uuid.to_string(),
                                                   pool.error().message));
    if (pool->owner.empty())
        managed->foreign = "its metadata names no owner (written before pools recorded one, or crafted)";
    else if (this_host.empty())
        managed->foreign = fmt::format("it belongs to host {}, and this machine has no machine-id", pool->owner);
    else if (pool->owner != this_host)
        managed->foreign = fmt::format("it belongs to host {}, not to this machine ({})", pool->owner, this_host);

    // What start-up repaired goes to the log; Problems keeps what still stands.
    std::vector<std::string> repaired;
    std::vector<metadata::Uuid> rewritten;  // hold the pool's document and nothing else
    std::vector<metadata::Uuid> cleared;    // hold no precommitted copy
    if (managed->owned()) {
        if (read->precommitted) {
            auto precommitted_pool = model::decode_pool(read->precommitted->document.pool);
            if (precommitted_pool &&
                thin_messages_went_through(managed->members, *pool, *precommitted_pool, managed->problems)) {
                if (auto forward = roll_forward(managed->members, *read->precommitted); !forward)
                    return fail(forward.error().code, fmt::format("pool {}: rolling a thin pool change forward: {}",
                                                                  pool_uuid.to_string(), forward.error().message));
                repaired.push_back("a thin pool change interrupted after its messages was rolled forward");
                read->committed = read->precommitted->document;
                pool = std::move(precommitted_pool);
                for (auto& report : read->members)
                    report.stale = false;
                for (const auto& member : managed->members)
                    rewritten.push_back(member.area.label().member_uuid);
            } else {
                cleared = roll_back_precommitted(managed->members, managed->problems);
            }
        }
        // A listed member may hold a refused committed copy (a document the model rejects, or
        // one its fellow members contradict) with a seq above the winner's; the next commit
        // must go above it, so the winner is committed again, everywhere, under a new seq.
        std::uint64_t top = read->committed.seq;
        for (const auto& member : managed->members)
            if (member.area.committed())
                top = std::max(top, member.area.committed()->seq);
        const bool recommit = top > read->committed.seq;
        if (recommit) {
            read->committed.seq = top + 1;
            for (auto& report : read->members)
                report.stale = true;
        }
        const auto problems_before = managed->problems.size();
        auto stale_rewritten = rewrite_stale(managed->members, *read, managed->problems);
        rewritten.insert(rewritten.end(), stale_rewritten.begin(), stale_rewritten.end());
        if (recommit)
            (managed->problems.size() == problems_before ? repaired : managed->problems)
                .push_back(fmt::format("a member held a refused copy under seq {}; the pool's document is committed "
                                       "again as seq {}",
                                       top, top + 1));
    }
    auto findings = member_findings(read->members, rewritten, cleared);
    managed->problems.insert(managed->problems.end(), findings.standing.begin(), findings.standing.end());
    repaired.insert(repaired.end(), findings.repaired.begin(), findings.repaired.end());
    for (const auto& repair : repaired)
        logging::notice({pool->name, {}, "start"}, "repaired at start-up: {}", repair);

    managed->pool = std::move(*pool);
    managed->seq = read->committed.seq;
    for (auto& member : managed->pool.members) {
        const bool found_member = std::any_of(managed->members.begin(), managed->members.end(), [&](const auto& m) {
            return m.area.label().member_uuid == member.uuid;
        });
        if (found_member)
            continue;
        managed->missing.push_back(member.uuid);
        // Nothing new goes to a member that is not there; the next commit records it failed.
        if (managed->owned())
            member.failed = true;
    }
    return managed;
}

}  // namespace volumes::engine
