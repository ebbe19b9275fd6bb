#include "service/model/pool_codec.hpp"

#include <array>
#include <utility>

#include <fmt/core.h>

#include "service/model/extent_move_codec.hpp"
#include "service/model/json_fields.hpp"
#include "service/model/pool_checks.hpp"

namespace volumes::model {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<SnapshotMergeState, std::string_view>, 4> merge_names{{
    {SnapshotMergeState::None, "none"},
    {SnapshotMergeState::Pending, "pending"},
    {SnapshotMergeState::Merging, "merging"},
    {SnapshotMergeState::Failed, "failed"},
}};

std::string_view merge_name(SnapshotMergeState state)
{
    for (const auto& [known, name] : merge_names)
        if (known == state)
            return name;
    return "none";
}

// ---- encoding

json encode_policy(const AutoextendPolicy& policy)
{
    return {{"threshold_percent", policy.threshold_percent}, {"step_percent", policy.step_percent}};
}

// Written only when set, so a pool that never had a policy set keeps the document an older
// volumesd reads.
void encode_optional_policy(json& out, const char* key, const std::optional<AutoextendPolicy>& policy)
{
    if (policy)
        out[key] = encode_policy(*policy);
}

json encode_extent_map(const ExtentMap& map)
{
    json runs = json::array();
    for (const auto& run : map)
        runs.push_back({{"member", run.member.to_string()}, {"start", run.start}, {"count", run.count}});
    return runs;
}

struct LayoutEncoder {
    json& out;

    void operator()(const LinearLayout& linear) const
    {
        out["kind"] = "linear";
        out["data"] = encode_extent_map(linear.data);
    }
    void operator()(const Raid1Layout& raid) const
    {
        out["kind"] = "raid1";
        out["region_size"] = raid.region_size;
        json legs = json::array();
        for (const auto& leg : raid.legs) {
            json encoded = {{"meta", encode_extent_map(leg.meta)}, {"data", encode_extent_map(leg.data)}};
            if (leg.tracked_image)
                encoded["tracked_image"] = leg.tracked_image->to_string();
            if (leg.rebuilding)
                encoded["rebuilding"] = true;
            legs.push_back(std::move(encoded));
        }
        out["legs"] = std::move(legs);
    }
    void operator()(const TrackedImageLayout& image) const
    {
        out["kind"] = "tracked_image";
        out["array"] = image.array.to_string();
        out["slot"] = image.slot;
    }
    void operator()(const SnapshotLayout& snapshot) const
    {
        out["kind"] = "snapshot";
        out["origin"] = snapshot.origin.to_string();
        out["cow"] = encode_extent_map(snapshot.cow);
        out["chunk_size"] = snapshot.chunk_size;
        out["merge"] = merge_name(snapshot.merge);
        encode_optional_policy(out, "autoextend", snapshot.autoextend);
    }
    void operator()(const ThinPoolLayout& pool) const
    {
        out["kind"] = "thin_pool";
        out["meta"] = encode_extent_map(pool.meta);
        out["data"] = encode_extent_map(pool.data);
        out["block_size"] = pool.block_size;
        out["low_water_blocks"] = pool.low_water_blocks;
        out["error_if_no_space"] = pool.error_if_no_space;
        out["transaction_id"] = pool.transaction_id;
        if (pool.held_metadata_root)
            out["held_metadata_root"] = *pool.held_metadata_root;
        out["next_thin_id"] = pool.next_thin_id;
        encode_optional_policy(out, "autoextend", pool.autoextend);
    }
    void operator()(const ThinLayout& thin) const
    {
        out["kind"] = "thin";
        out["pool"] = thin.pool.to_string();
        out["thin_id"] = thin.thin_id;
        if (thin.origin_thin_id)
            out["origin_thin_id"] = *thin.origin_thin_id;
        out["virtual_size"] = thin.virtual_size;
    }
};

// ---- decoding

Result<ExtentMap> decode_extent_map(JsonFields& fields, std::string_view key)
{
    const auto runs = fields.array(key);
    if (!runs)
        return std::unexpected(runs.error());
    ExtentMap map;
    for (std::size_t i = 0; i < (*runs)->size(); ++i) {
        auto run = JsonFields::open((**runs)[i], fmt::format("{}.{}[{}]", fields.path(), key, i));
        if (!run)
            return std::unexpected(run.error());
        const auto member = run->uuid("member");
        if (!member)
            return std::unexpected(member.error());
        const auto start = run->u64("start");
        if (!start)
            return std::unexpected(start.error());
        const auto count = run->u64("count");
        if (!count)
            return std::unexpected(count.error());
        if (const auto other = run->no_other_keys(); !other)
            return std::unexpected(other.error());
        map.push_back(ExtentRun{*member, *start, *count});
    }
    return map;
}

// The policy under `key`, nullopt when the key is absent.
Result<std::optional<AutoextendPolicy>> decode_optional_policy(JsonFields& fields, std::string_view key)
{
    if (!fields.has(key))
        return std::nullopt;
    const auto value = fields.object(key);
    if (!value)
        return std::unexpected(value.error());
    auto policy_fields = JsonFields::open(**value, fmt::format("{}.{}", fields.path(), key));
    if (!policy_fields)
        return std::unexpected(policy_fields.error());
    AutoextendPolicy policy;
    const auto threshold = policy_fields->u32("threshold_percent");
    if (!threshold)
        return std::unexpected(threshold.error());
    policy.threshold_percent = *threshold;
    const auto step = policy_fields->u32("step_percent");
    if (!step)
        return std::unexpected(step.error());
    policy.step_percent = *step;
    if (const auto other = policy_fields->no_other_keys(); !other)
        return std::unexpected(other.error());
    return policy;
}

Result<VolumeLayout> decode_linear(JsonFields& fields)
{
    auto data = decode_extent_map(fields, "data");
    if (!data)
        return std::unexpected(data.error());
    return LinearLayout{std::move(*data)};
}

Result<Raid1Leg> decode_raid1_leg(const json& value, std::string path)
{
    auto fields = JsonFields::open(value, std::move(path));
    if (!fields)
        return std::unexpected(fields.error());
    Raid1Leg leg;
    auto meta = decode_extent_map(*fields, "meta");
    if (!meta)
        return std::unexpected(meta.error());
    leg.meta = std::move(*meta);
    auto data = decode_extent_map(*fields, "data");
    if (!data)
        return std::unexpected(data.error());
    leg.data = std::move(*data);
    if (fields->has("tracked_image")) {
        const auto image = fields->uuid("tracked_image");
        if (!image)
            return std::unexpected(image.error());
        leg.tracked_image = *image;
    }
    if (fields->has("rebuilding")) {
        const auto rebuilding = fields->boolean("rebuilding");
        if (!rebuilding)
            return std::unexpected(rebuilding.error());
        leg.rebuilding = *rebuilding;
    }
    if (const auto other = fields->no_other_keys(); !other)
        return std::unexpected(other.error());
    return leg;
}

Result<VolumeLayout> decode_raid1(JsonFields& fields)
{
    Raid1Layout raid;
    const auto region_size = fields.u64("region_size");
    if (!region_size)
        return std::unexpected(region_size.error());
    raid.region_size = *region_size;
    const auto legs = fields.array("legs");
    if (!legs)
        return std::unexpected(legs.error());
    for (std::size_t i = 0; i < (*legs)->size(); ++i) {
        auto leg = decode_raid1_leg((**legs)[i], fmt::format("{}.legs[{}]", fields.path(), i));
        if (!leg)
            return std::unexpected(leg.error());
        raid.legs.push_back(std::move(*leg));
    }
    return raid;
}

Result<VolumeLayout> decode_tracked_image(JsonFields& fields)
{
    const auto array = fields.uuid("array");
    if (!array)
        return std::unexpected(array.error());
    const auto slot = fields.u32("slot");
    if (!slot)
        return std::unexpected(slot.error());
    return TrackedImageLayout{*array, *slot};
}

Result<SnapshotMergeState> decode_merge(JsonFields& fields)
{
    const auto text = fields.string("merge");
    if (!text)
        return std::unexpected(text.error());
    for (const auto& [state, name] : merge_names)
        if (*text == name)
            return state;
    return fail(ErrorCode::Unsupported,
                fmt::format("{} has merge state \"{}\", which this version of volumesd does not know", fields.path(),
                            *text));
}

Result<VolumeLayout> decode_snapshot(JsonFields& fields)
{
    SnapshotLayout snapshot;
    const auto origin = fields.uuid("origin");
    if (!origin)
        return std::unexpected(origin.error());
    snapshot.origin = *origin;
    auto cow = decode_extent_map(fields, "cow");
    if (!cow)
        return std::unexpected(cow.error());
    snapshot.cow = std::move(*cow);
    const auto chunk_size = fields.u32("chunk_size");
    if (!chunk_size)
        return std::unexpected(chunk_size.error());
    snapshot.chunk_size = *chunk_size;
    const auto merge = decode_merge(fields);
    if (!merge)
        return std::unexpected(merge.error());
    snapshot.merge = *merge;
    auto autoextend = decode_optional_policy(fields, "autoextend");
    if (!autoextend)
        return std::unexpected(autoextend.error());
    snapshot.autoextend = *autoextend;
    return snapshot;
}

Result<VolumeLayout> decode_thin_pool(JsonFields& fields)
{
    ThinPoolLayout pool;
    auto meta = decode_extent_map(fields, "meta");
    if (!meta)
        return std::unexpected(meta.error());
    pool.meta = std::move(*meta);
    auto data = decode_extent_map(fields, "data");
    if (!data)
        return std::unexpected(data.error());
    pool.data = std::move(*data);
    const auto block_size = fields.u32("block_size");
    if (!block_size)
        return std::unexpected(block_size.error());
    pool.block_size = *block_size;
    const auto low_water = fields.u64("low_water_blocks");
    if (!low_water)
        return std::unexpected(low_water.error());
    pool.low_water_blocks = *low_water;
    const auto error_if_no_space = fields.boolean("error_if_no_space");
    if (!error_if_no_space)
        return std::unexpected(error_if_no_space.error());
    pool.error_if_no_space = *error_if_no_space;
    const auto transaction_id = fields.u64("transaction_id");
    if (!transaction_id)
        return std::unexpected(transaction_id.error());
    pool.transaction_id = *transaction_id;
    if (fields.has("held_metadata_root")) {
        const auto root = fields.u64("held_metadata_root");
        if (!root)
            return std::unexpected(root.error());
        pool.held_metadata_root = *root;
    }
    const auto next_thin_id = fields.u32("next_thin_id");
    if (!next_thin_id)
        return std::unexpected(next_thin_id.error());
    pool.next_thin_id = *next_thin_id;
    auto autoextend = decode_optional_policy(fields, "autoextend");
    if (!autoextend)
        return std::unexpected(autoextend.error());
    pool.autoextend = *autoextend;
    return pool;
}

Result<VolumeLayout> decode_thin(JsonFields& fields)
{
    ThinLayout thin;
    const auto pool = fields.uuid("pool");
    if (!pool)
        return std::unexpected(pool.error());
    thin.pool = *pool;
    const auto thin_id = fields.u32("thin_id");
    if (!thin_id)
        return std::unexpected(thin_id.error());
    thin.thin_id = *thin_id;
    if (fields.has("origin_thin_id")) {
        const auto origin = fields.u32("origin_thin_id");
        if (!origin)
            return std::unexpected(origin.error());
        thin.origin_thin_id = *origin;
    }
    const auto virtual_size = fields.u64("virtual_size");
    if (!virtual_size)
        return std::unexpected(virtual_size.error());
    thin.virtual_size = *virtual_size;
    return thin;
}

using LayoutDecoder = Result<VolumeLayout> (*)(JsonFields&);

constexpr std::array<std::pair<std::string_view, LayoutDecoder>, 6> layout_decoders{{
    {"linear", decode_linear},
    {"raid1", decode_raid1},
    {"tracked_image", decode_tracked_image},
    {"snapshot", decode_snapshot},
    {"thin_pool", decode_thin_pool},
    {"thin", decode_thin},
}};

Result<Volume> decode_volume(const json& value, std::string path)
{
    auto fields = JsonFields::open(value, std::move(path));
    if (!fields)
        return std::unexpected(fields.error());
    Volume volume;
    const auto uuid = fields->uuid("uuid");
    if (!uuid)
        return std::unexpected(uuid.error());
    volume.uuid = *uuid;
    auto name = fields->string("name");
    if (!name)
        return std::unexpected(name.error());
    volume.name = std::move(*name);
    const auto active = fields->boolean("active");
    if (!active)
        return std::unexpected(active.error());
    volume.active = *active;
    const auto kind = fields->string("kind");
    if (!kind)
        return std::unexpected(kind.error());

    LayoutDecoder decode_layout = nullptr;
    for (const auto& [known, decoder] : layout_decoders)
        if (*kind == known)
            decode_layout = decoder;
    if (!decode_layout)
        return fail(ErrorCode::Unsupported,
                    fmt::format("{} is a volume of kind \"{}\", which this version of volumesd does not know",
                                fields->path(), *kind));
    auto layout = decode_layout(*fields);
    if (!layout)
        return std::unexpected(layout.error());
    volume.layout = std::move(*layout);
    if (const auto other = fields->no_other_keys(); !other)
        return std::unexpected(other.error());
    return volume;
}

Result<Member> decode_member(const json& value, std::string path)
{
    auto fields = JsonFields::open(value, std::move(path));
    if (!fields)
        return std::unexpected(fields.error());
    const auto uuid = fields->uuid("uuid");
    if (!uuid)
        return std::unexpected(uuid.error());
    const auto extent_count = fields->u64("extent_count");
    if (!extent_count)
        return std::unexpected(extent_count.error());
    bool failed = false;
    if (fields->has("failed")) {
        const auto flag = fields->boolean("failed");
        if (!flag)
            return std::unexpected(flag.error());
        failed = *flag;
    }
    if (const auto other = fields->no_other_keys(); !other)
        return std::unexpected(other.error());
    return Member{*uuid, *extent_count, failed};
}

Result<Pool> decode_pool_fields(const json& value)
{
    auto fields = JsonFields::open(value, "pool");
    if (!fields)
        return std::unexpected(fields.error());
    Pool pool;
    const auto uuid = fields->uuid("uuid");
    if (!uuid)
        return std::unexpected(uuid.error());
    pool.uuid = *uuid;
    auto name = fields->string("name");
    if (!name)
        return std::unexpected(name.error());
    pool.name = std::move(*name);
    if (fields->has("owner")) {
        auto owner = fields->string("owner");
        if (!owner)
            return std::unexpected(owner.error());
        pool.owner = std::move(*owner);
    }
    const auto extent_size = fields->u64("extent_size");
    if (!extent_size)
        return std::unexpected(extent_size.error());
    pool.extent_size = *extent_size;

    auto thin_pool_autoextend = decode_optional_policy(*fields, "thin_pool_autoextend");
    if (!thin_pool_autoextend)
        return std::unexpected(thin_pool_autoextend.error());
    pool.thin_pool_autoextend = *thin_pool_autoextend;
    auto snapshot_autoextend = decode_optional_policy(*fields, "snapshot_autoextend");
    if (!snapshot_autoextend)
        return std::unexpected(snapshot_autoextend.error());
    pool.snapshot_autoextend = *snapshot_autoextend;

    if (fields->has("extent_move")) {
        const auto move = fields->object("extent_move");
        if (!move)
            return std::unexpected(move.error());
        auto decoded = decode_extent_move(**move, "pool.extent_move");
        if (!decoded)
            return std::unexpected(decoded.error());
        pool.extent_move = std::move(*decoded);
    }

    const auto members = fields->array("members");
    if (!members)
        return std::unexpected(members.error());
    for (std::size_t i = 0; i < (*members)->size(); ++i) {
        auto member = decode_member((**members)[i], fmt::format("pool.members[{}]", i));
        if (!member)
            return std::unexpected(member.error());
        pool.members.push_back(*member);
    }

    const auto volumes = fields->array("volumes");
    if (!volumes)
        return std::unexpected(volumes.error());
    for (std::size_t i = 0; i < (*volumes)->size(); ++i) {
        auto volume = decode_volume((**volumes)[i], fmt::format("pool.volumes[{}]", i));
        if (!volume)
            return std::unexpected(volume.error());
        pool.volumes.push_back(std::move(*volume));
    }

    if (const auto other = fields->no_other_keys(); !other)
        return std::unexpected(other.error());
    return pool;
}

}  // namespace

json encode_pool(const Pool& pool)
{
    json members = json::array();
    for (const auto& member : pool.members) {
        json entry{{"uuid", member.uuid.to_string()}, {"extent_count", member.extent_count}};
        if (member.failed)
            entry["failed"] = true;
        members.push_back(std::move(entry));
    }

    json volumes = json::array();
    for (const auto& volume : pool.volumes) {
        json encoded = {{"uuid", volume.uuid.to_string()}, {"name", volume.name}, {"active", volume.active}};
        std::visit(LayoutEncoder{encoded}, volume.layout);
        volumes.push_back(std::move(encoded));
    }

    json encoded = {
        {"uuid", pool.uuid.to_string()},
        {"name", pool.name},
        {"extent_size", pool.extent_size},
        {"members", std::move(members)},
        {"volumes", std::move(volumes)},
    };
    if (!pool.owner.empty())
        encoded["owner"] = pool.owner;
    encode_optional_policy(encoded, "thin_pool_autoextend", pool.thin_pool_autoextend);
    encode_optional_policy(encoded, "snapshot_autoextend", pool.snapshot_autoextend);
    if (pool.extent_move)
        encoded["extent_move"] = encode_extent_move(*pool.extent_move);
    return encoded;
}

Result<Pool> decode_pool(const json& value)
{
    Result<Pool> pool = fail(ErrorCode::Corrupt, "the pool object was not read");
    try {
        pool = decode_pool_fields(value);
    } catch (const nlohmann::json::exception& error) {
        // Every access above checks the type first; this only keeps the promise not to throw.
        return fail(ErrorCode::Corrupt, fmt::format("the pool object cannot be read: {}", error.what()));
    }
    if (!pool)
        return pool;
    if (const auto checked = check_pool(*pool); !checked)
        return std::unexpected(checked.error());
    return pool;
}

}  // namespace volumes::model
