#include "service/model/pool_checks.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "service/model/autoextend_policy.hpp"
#include "service/model/extent_move_checks.hpp"
#include "service/model/names.hpp"
#include "service/model/volume_lookup.hpp"

namespace volumes::model {

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t GiB = KiB * KiB * KiB;
constexpr std::size_t max_raid1_legs = 8;
constexpr std::uint32_t thin_id_limit = 1U << 24;

std::unexpected<Error> corrupt(std::string message)
{
    return fail(ErrorCode::Corrupt, std::move(message));
}

std::string describe(const Volume& volume)
{
    return fmt::format("volume '{}' ({})", volume.name, volume.uuid.to_string());
}

bool is_power_of_two(std::uint64_t value)
{
    return value != 0 && (value & (value - 1)) == 0;
}

// ---- names and uuids

Result<void> check_names(const Pool& pool)
{
    if (const auto checked = check_pool_name(pool.name); !checked)
        return corrupt(fmt::format("the pool's name: {}", checked.error().message));
    if (!pool.owner.empty() && !is_machine_id(pool.owner))
        return corrupt("the pool's owner is not a machine-id (32 lower-case hexadecimal digits)");
    std::map<std::string_view, const Volume*> by_name;
    for (const auto& volume : pool.volumes) {
        if (const auto checked = check_volume_name(volume.name); !checked)
            return corrupt(fmt::format("volume {}: {}", volume.uuid.to_string(), checked.error().message));
        if (const auto fits = check_dm_names_fit(pool.name, volume.name); !fits)
            return corrupt(fmt::format("volume {}: {}", volume.uuid.to_string(), fits.error().message));
        const auto [named, inserted] = by_name.emplace(volume.name, &volume);
        if (!inserted)
            return corrupt(fmt::format("volumes {} and {} are both named '{}'", named->second->uuid.to_string(),
                                       volume.uuid.to_string(), volume.name));
    }
    return {};
}

Result<void> check_uuids(const Pool& pool)
{
    if (pool.uuid.is_nil())
        return corrupt("the pool's uuid is nil");
    std::map<Uuid, std::string> owners;
    const auto claim = [&](const Uuid& uuid, std::string owner) -> Result<void> {
        if (uuid.is_nil())
            return corrupt(fmt::format("{} has the nil uuid", owner));
        const auto [claimed, inserted] = owners.emplace(uuid, owner);
        if (!inserted)
            return corrupt(fmt::format("uuid {} is used by both {} and {}", uuid.to_string(), claimed->second, owner));
        return {};
    };
    for (std::size_t i = 0; i < pool.members.size(); ++i)
        if (auto claimed = claim(pool.members[i].uuid,
                                 fmt::format("member {} ({})", i, pool.members[i].uuid.to_string()));
            !claimed)
            return claimed;
    for (const auto& volume : pool.volumes)
        if (auto claimed = claim(volume.uuid, describe(volume)); !claimed)
            return claimed;
    return {};
}

// ---- extents

struct UsedRun {
    ExtentRun run;
    const Volume* owner;
};

std::vector<UsedRun> used_runs(const Pool& pool)
{
    std::vector<UsedRun> used;
    for (const auto& volume : pool.volumes) {
        const auto add = [&](const ExtentMap& map) {
            for (const auto& run : map)
                used.push_back(UsedRun{run, &volume});
        };
        if (const auto* linear = std::get_if<LinearLayout>(&volume.layout))
            add(linear->data);
        if (const auto* raid = std::get_if<Raid1Layout>(&volume.layout))
            for (const auto& leg : raid->legs) {
                add(leg.meta);
                add(leg.data);
            }
        if (const auto* snapshot = std::get_if<SnapshotLayout>(&volume.layout))
            add(snapshot->cow);
        if (const auto* thin_pool = std::get_if<ThinPoolLayout>(&volume.layout)) {
            add(thin_pool->meta);
            add(thin_pool->data);
        }
    }
    return used;
}

Result<void> check_extents(const Pool& pool)
{
    if (pool.extent_size == 0 || pool.extent_size % (4 * KiB) != 0)
        return corrupt(fmt::format("the pool's extent size {} is not a positive multiple of 4 KiB", pool.extent_size));

    std::map<Uuid, std::uint64_t> member_extents;
    for (const auto& member : pool.members)
        member_extents.emplace(member.uuid, member.extent_count);

    auto used = used_runs(pool);
    for (const auto& [run, owner] : used) {
        if (run.count == 0)
            return corrupt(fmt::format("{} has an empty extent run at extent {} of member {}", describe(*owner),
                                       run.start, run.member.to_string()));
        const auto member = member_extents.find(run.member);
        if (member == member_extents.end())
            return corrupt(fmt::format("{} uses extents of member {}, which is not in the pool", describe(*owner),
                                       run.member.to_string()));
        if (run.start >= member->second || run.count > member->second - run.start)
            return corrupt(fmt::format("{} uses {} extents from extent {} of member {}, which has {} extents",
                                       describe(*owner), run.count, run.start, run.member.to_string(), member->second));
    }

    std::sort(used.begin(), used.end(), [](const UsedRun& a, const UsedRun& b) {
        return std::pair(a.run.member, a.run.start) < std::pair(b.run.member, b.run.start);
    });
    // Sorted by start and disjoint up to here, so a run overlaps an earlier one only if it
    // overlaps the one just before it.
    for (std::size_t i = 1; i < used.size(); ++i) {
        const auto& [previous, previous_owner] = used[i - 1];
        const auto& [current, current_owner] = used[i];
        if (previous.member != current.member || current.start >= previous.start + previous.count)
            continue;
        const auto users = previous_owner == current_owner
                               ? fmt::format("twice by {}", describe(*current_owner))
                               : fmt::format("by both {} and {}", describe(*previous_owner), describe(*current_owner));
        return corrupt(
            fmt::format("extent {} of member {} is used {}", current.start, current.member.to_string(), users));
    }
    return {};
}

// ---- layouts

Result<void> check_linear(const Pool&, const Volume& volume, const LinearLayout& linear)
{
    if (linear.data.empty())
        return corrupt(fmt::format("linear {} has no extents", describe(volume)));
    return {};
}

Result<void> check_raid1_leg_tracking(const Pool& pool, const Volume& volume, const Raid1Leg& leg, std::size_t slot)
{
    if (!leg.tracked_image)
        return {};
    if (leg.rebuilding)
        return corrupt(fmt::format("leg {} of raid1 {} is both being rebuilt and split off as a tracked image",
                                   slot, describe(volume)));
    const Volume* image_volume = find_volume(pool, *leg.tracked_image);
    const auto* image = image_volume ? std::get_if<TrackedImageLayout>(&image_volume->layout) : nullptr;
    if (!image || image->array != volume.uuid || image->slot != slot)
        return corrupt(fmt::format("leg {} of raid1 {} is tracked as {}, which is not a tracked image of that leg",
                                   slot, describe(volume), leg.tracked_image->to_string()));
    return {};
}

Result<void> check_raid1(const Pool& pool, const Volume& volume, const Raid1Layout& raid)
{
    if (!is_power_of_two(raid.region_size) || raid.region_size < 4 * KiB)
        return corrupt(fmt::format("raid1 {} has region size {}, not a power of two of at least 4 KiB",
                                   describe(volume), raid.region_size));
    if (raid.legs.empty() || raid.legs.size() > max_raid1_legs)
        return corrupt(fmt::format("raid1 {} has {} legs, not 1 to {}", describe(volume), raid.legs.size(),
                                   max_raid1_legs));

    std::map<Uuid, std::size_t> leg_on_member;
    for (std::size_t slot = 0; slot < raid.legs.size(); ++slot) {
        const auto& leg = raid.legs[slot];
        if (leg.meta.empty())
            return corrupt(fmt::format("leg {} of raid1 {} has no metadata extents", slot, describe(volume)));
        if (leg.data.empty())
            return corrupt(fmt::format("leg {} of raid1 {} has no data extents", slot, describe(volume)));

        const Uuid& member = leg.meta.front().member;
        for (const auto* map : {&leg.meta, &leg.data})
            for (const auto& run : *map)
                if (run.member != member)
                    return corrupt(fmt::format("leg {} of raid1 {} spans members {} and {}", slot, describe(volume),
                                               member.to_string(), run.member.to_string()));
        const auto [other, inserted] = leg_on_member.emplace(member, slot);
        if (!inserted)
            return corrupt(fmt::format("legs {} and {} of raid1 {} are both on member {}", other->second, slot,
                                       describe(volume), member.to_string()));

        const auto data_extents = extent_count(leg.data);
        const auto first_data_extents = extent_count(raid.legs.front().data);
        if (data_extents != first_data_extents)
            return corrupt(fmt::format("leg {} of raid1 {} has {} data extents but leg 0 has {}", slot,
                                       describe(volume), data_extents, first_data_extents));

        if (auto tracked = check_raid1_leg_tracking(pool, volume, leg, slot); !tracked)
            return tracked;
    }
    const auto tracked = [](const Raid1Leg& leg) { return leg.tracked_image.has_value(); };
    if (std::all_of(raid.legs.begin(), raid.legs.end(), tracked))
        return corrupt(fmt::format("every leg of raid1 {} is split off as a tracked image; one must stay in the array",
                                   describe(volume)));
    const auto rebuilding = [](const Raid1Leg& leg) { return leg.rebuilding; };
    if (std::all_of(raid.legs.begin(), raid.legs.end(), rebuilding))
        return corrupt(fmt::format("every leg of raid1 {} is being rebuilt; one must hold the data", describe(volume)));
    return {};
}

Result<void> check_tracked_image(const Pool& pool, const Volume& volume, const TrackedImageLayout& image)
{
    const Volume* array = find_volume(pool, image.array);
    const auto* raid = array ? std::get_if<Raid1Layout>(&array->layout) : nullptr;
    if (!raid)
        return corrupt(fmt::format("tracked image {} is split off {}, which is not a raid1 volume of the pool",
                                   describe(volume), image.array.to_string()));
    if (image.slot >= raid->legs.size())
        return corrupt(fmt::format("tracked image {} is slot {} of raid1 {}, which has {} legs", describe(volume),
                                   image.slot, describe(*array), raid->legs.size()));
    if (raid->legs[image.slot].tracked_image != volume.uuid)
        return corrupt(fmt::format("tracked image {} is slot {} of raid1 {}, but that leg is not tracked as it",
                                   describe(volume), image.slot, describe(*array)));
    return {};
}

// A policy out of bounds (autoextend_policy.hpp) is Corrupt in a document.
Result<void> checked_policy(const std::optional<AutoextendPolicy>& policy, const std::string& what)
{
    if (!policy)
        return {};
    if (auto checked = check_autoextend_policy(*policy, what); !checked)
        return corrupt(checked.error().message);
    return {};
}

Result<void> check_pool_policies(const Pool& pool)
{
    if (auto checked = checked_policy(pool.thin_pool_autoextend, "the pool's thin pool autoextend"); !checked)
        return checked;
    return checked_policy(pool.snapshot_autoextend, "the pool's snapshot autoextend");
}

Result<void> check_snapshot(const Pool& pool, const Volume& volume, const SnapshotLayout& snapshot)
{
    const Volume* origin = find_volume(pool, snapshot.origin);
    if (!origin || !(std::holds_alternative<LinearLayout>(origin->layout) ||
                     std::holds_alternative<Raid1Layout>(origin->layout)))
        return corrupt(fmt::format("snapshot {} has origin {}, which is not a linear or raid1 volume of the pool",
                                   describe(volume), snapshot.origin.to_string()));
    if (snapshot.cow.empty())
        return corrupt(fmt::format("snapshot {} has no cow extents", describe(volume)));
    if (!is_power_of_two(snapshot.chunk_size) || snapshot.chunk_size < 4 * KiB || snapshot.chunk_size > GiB)
        return corrupt(fmt::format("snapshot {} has chunk size {}, not a power of two from 4 KiB to 1 GiB",
                                   describe(volume), snapshot.chunk_size));
    return checked_policy(snapshot.autoextend, fmt::format("snapshot {}", describe(volume)));
}

Result<void> check_merges(const Pool& pool)
{
    std::map<Uuid, const Volume*> merging_into;
    for (const auto& volume : pool.volumes) {
        const auto* snapshot = std::get_if<SnapshotLayout>(&volume.layout);
        if (!snapshot ||
            (snapshot->merge != SnapshotMergeState::Pending && snapshot->merge != SnapshotMergeState::Merging))
            continue;
        const auto [other, inserted] = merging_into.emplace(snapshot->origin, &volume);
        if (!inserted)
            return corrupt(fmt::format("{} and {} are both snapshots pending or merging into origin {}",
                                       describe(*other->second), describe(volume), snapshot->origin.to_string()));
    }
    return {};
}

Result<void> check_thin_pool(const Pool&, const Volume& volume, const ThinPoolLayout& thin_pool)
{
    if (thin_pool.meta.empty())
        return corrupt(fmt::format("thin pool {} has no metadata extents", describe(volume)));
    if (thin_pool.data.empty())
        return corrupt(fmt::format("thin pool {} has no data extents", describe(volume)));
    if (thin_pool.block_size == 0 || thin_pool.block_size % (64 * KiB) != 0 || thin_pool.block_size > GiB)
        return corrupt(fmt::format("thin pool {} has block size {}, not a multiple of 64 KiB up to 1 GiB",
                                   describe(volume), thin_pool.block_size));
    return checked_policy(thin_pool.autoextend, fmt::format("thin pool {}", describe(volume)));
}

bool is_thin_of(const Volume& volume, const Uuid& pool, std::uint32_t thin_id)
{
    const auto* thin = std::get_if<ThinLayout>(&volume.layout);
    return thin && thin->pool == pool && thin->thin_id == thin_id;
}

Result<void> check_thin(const Pool& pool, const Volume& volume, const ThinLayout& thin)
{
    const Volume* pool_volume = find_volume(pool, thin.pool);
    const auto* thin_pool = pool_volume ? std::get_if<ThinPoolLayout>(&pool_volume->layout) : nullptr;
    if (!thin_pool)
        return corrupt(fmt::format("thin volume {} is in {}, which is not a thin pool volume of the pool",
                                   describe(volume), thin.pool.to_string()));
    if (thin.thin_id >= thin_id_limit)
        return corrupt(fmt::format("thin volume {} has thin id {}, not below 2^24", describe(volume), thin.thin_id));
    if (thin.thin_id >= thin_pool->next_thin_id)
        return corrupt(fmt::format("thin volume {} has thin id {}, not below the next thin id {} of thin pool {}",
                                   describe(volume), thin.thin_id, thin_pool->next_thin_id, describe(*pool_volume)));
    if (thin.virtual_size == 0 || thin.virtual_size % 512 != 0)
        return corrupt(fmt::format("thin volume {} has virtual size {}, not a positive multiple of 512",
                                   describe(volume), thin.virtual_size));
    if (thin.origin_thin_id) {
        const bool origin_found = std::any_of(pool.volumes.begin(), pool.volumes.end(), [&](const Volume& other) {
            return &other != &volume && is_thin_of(other, thin.pool, *thin.origin_thin_id);
        });
        if (!origin_found)
            return corrupt(fmt::format("thin volume {} is a snapshot of thin id {}, which no other thin volume of "
                                       "thin pool {} has",
                                       describe(volume), *thin.origin_thin_id, describe(*pool_volume)));
    }
    return {};
}

Result<void> check_thin_ids(const Pool& pool)
{
    std::map<std::pair<Uuid, std::uint32_t>, const Volume*> by_id;
    for (const auto& volume : pool.volumes) {
        const auto* thin = std::get_if<ThinLayout>(&volume.layout);
        if (!thin)
            continue;
        const auto [other, inserted] = by_id.emplace(std::pair(thin->pool, thin->thin_id), &volume);
        if (!inserted)
            return corrupt(fmt::format("{} and {} are both thin id {} of thin pool {}",
                                       describe(*other->second), describe(volume), thin->thin_id,
                                       thin->pool.to_string()));
    }
    return {};
}

template <class Layout, Result<void> (*check)(const Pool&, const Volume&, const Layout&)>
Result<void> check_each(const Pool& pool)
{
    for (const auto& volume : pool.volumes)
        if (const auto* layout = std::get_if<Layout>(&volume.layout))
            if (auto checked = check(pool, volume, *layout); !checked)
                return checked;
    return {};
}

// ---- activation

Result<void> check_activation(const Pool& pool)
{
    for (const auto& volume : pool.volumes) {
        if (!volume.active)
            continue;
        if (const auto* snapshot = std::get_if<SnapshotLayout>(&volume.layout)) {
            const Volume* origin = find_volume(pool, snapshot->origin);
            if (origin && !origin->active)
                return corrupt(fmt::format("snapshot {} is active but its origin {} is not", describe(volume),
                                           describe(*origin)));
        }
        if (const auto* thin = std::get_if<ThinLayout>(&volume.layout)) {
            const Volume* thin_pool = find_volume(pool, thin->pool);
            if (thin_pool && !thin_pool->active)
                return corrupt(fmt::format("thin volume {} is active but its thin pool {} is not", describe(volume),
                                           describe(*thin_pool)));
        }
    }
    return {};
}

}  // namespace

Result<void> check_pool(const Pool& pool)
{
    // In the order of the rules in pool_checks.hpp, so the message names the first one broken.
    constexpr std::array<Result<void> (*)(const Pool&), 14> rules{
        check_names,
        check_pool_policies,
        check_uuids,
        check_extents,
        check_each<LinearLayout, check_linear>,
        check_each<Raid1Layout, check_raid1>,
        check_each<TrackedImageLayout, check_tracked_image>,
        check_each<SnapshotLayout, check_snapshot>,
        check_merges,
        check_each<ThinPoolLayout, check_thin_pool>,
        check_thin_ids,
        check_each<ThinLayout, check_thin>,
        check_activation,
        check_extent_move,
    };
    for (const auto rule : rules)
        if (auto checked = rule(pool); !checked)
            return checked;
    return {};
}

}  // namespace volumes::model
