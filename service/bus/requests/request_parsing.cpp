#include "service/bus/requests/request_parsing.hpp"

#include <algorithm>
#include <climits>

#include <fmt/format.h>

#include "service/engine/device_arguments.hpp"

namespace volumes::bus {

using engine::ErrorCode;
using engine::fail;

engine::Result<void> check_size(const char* what, std::uint64_t size)
{
    if (size == 0)
        return fail(ErrorCode::InvalidArgument, fmt::format("{} must be more than 0 bytes", what));
    if (size > kMaxSize)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("{} of {} bytes is more than the largest supported, {} bytes (4 EiB)", what, size, kMaxSize));
    return {};
}

engine::Result<CreatePoolRequest> parse_create_pool(std::string name, std::vector<std::string> devices,
                                                    const Options& options)
{
    OptionReader reader(options);
    CreatePoolRequest request{std::move(name), std::move(devices), {}};
    if (auto force = reader.boolean("force"))
        request.options.force = *force;
    if (auto extent_size = reader.uint64("extent_size"))
        request.options.extent_size = *extent_size;
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    // The devices and the extent size are the engine's to check (engine::create_pool_on).
    return request;
}

engine::Result<bool> parse_force(const Options& options)
{
    OptionReader reader(options);
    const bool force = reader.boolean("force").value_or(false);
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    return force;
}

engine::Result<engine::ResizeRequest> parse_resize(std::uint64_t size, const Options& options)
{
    OptionReader reader(options);
    engine::ResizeRequest request;
    request.size = size;
    request.allow_shrink = reader.boolean("allow_shrink").value_or(false);
    request.resize_filesystem = reader.boolean("resize_filesystem").value_or(false);
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (auto checked = check_size("a volume's new size", size); !checked)
        return std::unexpected(checked.error());
    return request;
}

engine::Result<void> parse_resize_thin_pool(std::uint64_t data_size, std::uint64_t metadata_size,
                                            const Options& options)
{
    if (auto finished = parse_no_options(options); !finished)
        return std::unexpected(finished.error());
    if (data_size == 0 && metadata_size == 0)
        return fail(ErrorCode::InvalidArgument, "a thin pool resize needs a data or a metadata size (0 keeps that part)");
    if (data_size > kMaxSize || metadata_size > kMaxSize)
        return fail(ErrorCode::InvalidArgument, fmt::format("sizes above {} bytes are refused", kMaxSize));
    return {};
}

engine::Result<AddMemberRequest> parse_add_member(std::string device, const Options& options)
{
    auto force = parse_force(options);
    if (!force)
        return std::unexpected(force.error());
    if (auto checked = engine::check_device_path(device); !checked)
        return std::unexpected(checked.error());
    return AddMemberRequest{std::move(device), *force};
}

engine::Result<RemoveMemberRequest> parse_remove_member(std::string device, const Options& options)
{
    OptionReader reader(options);
    RemoveMemberRequest request{std::move(device)};
    if (auto move = reader.boolean("move"))
        request.move = *move;
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (auto checked = engine::check_member_argument(request.device); !checked)
        return std::unexpected(checked.error());
    return request;
}

engine::Result<EvacuateMemberRequest> parse_evacuate_member(std::string device, const Options& options)
{
    OptionReader reader(options);
    EvacuateMemberRequest request;
    request.device = std::move(device);
    if (auto remove = reader.boolean("remove"))
        request.move.remove_member = *remove;
    request.move.max_rate_kibs = reader.uint32("max_rate");
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (auto checked = engine::check_member_argument(request.device); !checked)
        return std::unexpected(checked.error());
    return request;
}

engine::Result<ImportPoolRequest> parse_import_pool(std::string pool, const Options& options)
{
    OptionReader reader(options);
    ImportPoolRequest request{std::move(pool), false};
    if (auto force = reader.boolean("force"))
        request.force = *force;
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (request.pool.empty() || request.pool.size() > 64)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("a pool to import is named by its name (1 to 64 characters) or its uuid, not by {} "
                                "characters",
                                request.pool.size()));
    return request;
}

engine::Result<VolumeRequest> parse_create_volume(std::string name, std::uint64_t size, const Options& options)
{
    OptionReader reader(options);
    auto kind = reader.string("kind").value_or("linear");
    auto images = reader.uint32("images");
    auto region_size = reader.uint64("region_size");
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (auto checked = check_size("a volume's size", size); !checked)
        return std::unexpected(checked.error());
    if (kind == "linear") {
        if (images || region_size)
            return fail(ErrorCode::InvalidArgument,
                        "options 'images' and 'region_size' are for raid1 volumes; add option kind=\"raid1\"");
        return engine::LinearRequest{std::move(name), size};
    }
    if (kind == "raid1") {
        engine::Raid1Request request{std::move(name), size};
        if (images)
            request.images = *images;
        if (region_size)
            request.region_size = *region_size;
        return request;
    }
    return fail(ErrorCode::InvalidArgument, fmt::format("unknown volume kind '{}'; use \"linear\" or \"raid1\"", kind));
}

engine::Result<engine::SplitTrackRequest> parse_split_track(const Options& options)
{
    OptionReader reader(options);
    engine::SplitTrackRequest request;
    request.slot = reader.uint32("image");
    auto name = reader.string("name");
    request.allow_no_redundancy = reader.boolean("allow_no_redundancy").value_or(false);
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (name) {
        if (name->empty())
            return fail(ErrorCode::InvalidArgument, "option 'name' is empty; leave it out for the default name");
        request.image_name = *name;
    }
    return request;
}

engine::Result<engine::RepairRequest> parse_repair(const Options& options)
{
    OptionReader reader(options);
    engine::RepairRequest request;
    auto members = reader.strings("members");
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (!members)
        return request;
    if (members->empty())
        return fail(ErrorCode::InvalidArgument, "option 'members' is empty; leave it out to use any member with room");
    if (members->size() > 64)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("option 'members' lists {} entries; a pool has far fewer members", members->size()));
    for (std::size_t i = 0; i < members->size(); ++i) {
        if ((*members)[i].empty())
            return fail(ErrorCode::InvalidArgument, "option 'members' has an empty entry");
        for (std::size_t j = 0; j < i; ++j)
            if ((*members)[i] == (*members)[j])
                return fail(ErrorCode::InvalidArgument,
                            fmt::format("option 'members' lists '{}' twice", (*members)[i].substr(0, 256)));
    }
    request.members = std::move(*members);
    return request;
}

engine::Result<engine::ConvertToRaid1Request> parse_convert_to_raid1(const Options& options)
{
    OptionReader reader(options);
    engine::ConvertToRaid1Request request;
    request.region_size = reader.uint64("region_size").value_or(engine::kDefaultRegionSize);
    const bool has_members = reader.strings("members").has_value();
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (has_members) {
        // Checked as Raid1.Repair's; the engine checks the region size as CreateVolume's.
        auto members = parse_repair({{"members", options.at("members")}});
        if (!members)
            return std::unexpected(members.error());
        request.members = std::move(members->members);
    }
    return request;
}

engine::Result<engine::SnapshotRequest> parse_create_snapshot(std::string name, std::uint64_t cow_size,
                                                              const Options& options)
{
    OptionReader reader(options);
    engine::SnapshotRequest request{std::move(name), cow_size, engine::kDefaultChunkSize};
    request.chunk_size = reader.uint32("chunk_size").value_or(engine::kDefaultChunkSize);
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    // 0 is a thin snapshot's; the engine decides what the origin allows.
    if (cow_size != 0)
        if (auto checked = check_size("a snapshot's COW size", cow_size); !checked)
            return std::unexpected(checked.error());
    return request;
}

engine::Result<engine::ThinPoolRequest> parse_create_thin_pool(std::string name, std::uint64_t data_size,
                                                               std::uint64_t metadata_size, const Options& options)
{
    OptionReader reader(options);
    engine::ThinPoolRequest request;
    request.name = std::move(name);
    request.data_size = data_size;
    request.metadata_size = metadata_size;
    request.block_size = reader.uint32("block_size").value_or(engine::kDefaultThinBlockSize);
    request.low_water_blocks = reader.uint64("low_water_mark").value_or(0);
    request.error_if_no_space = reader.boolean("error_if_no_space").value_or(false);
    if (auto finished = reader.finish(); !finished)
        return std::unexpected(finished.error());
    if (auto checked = check_size("a thin pool's data size", data_size); !checked)
        return std::unexpected(checked.error());
    if (auto checked = check_size("a thin pool's metadata size", metadata_size); !checked)
        return std::unexpected(checked.error());
    return request;
}

engine::Result<void> parse_no_options(const Options& options)
{
    OptionReader reader(options);
    return reader.finish();
}

}  // namespace volumes::bus
