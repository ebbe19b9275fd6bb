#include <memory>

#include <fmt/core.h>

#include "commands.hpp"
#include "json_output.hpp"
#include "sizes.hpp"
#include "text_output.hpp"
#include "usage_error.hpp"

namespace volumectl {

namespace vc = volumes::client;

namespace {

constexpr std::uint64_t kib = 1024;
constexpr std::uint64_t mib = 1024 * kib;
constexpr std::uint64_t gib = 1024 * mib;

struct ThinPoolArgs {
    std::string target;
    std::string data_size;
    std::string metadata_size;
    std::string block_size;
    std::optional<std::uint64_t> low_water_mark;
    bool error_if_no_space = false;
};

// The ranges the contract gives for CreateThinPool, checked before calling.
Output thin_pool(Session& session, const ThinPoolArgs& args)
{
    const auto [pool_name, name] = split_volume_target(args.target);
    const auto data_size = parse_size(args.data_size, "DATA_SIZE");
    if (data_size == 0)
        throw UsageError("DATA_SIZE: a thin pool needs more than 0 bytes of data space");
    const auto metadata_size = parse_size(args.metadata_size, "METADATA_SIZE");
    if (metadata_size < 2 * mib || metadata_size > 16 * gib)
        throw UsageError(fmt::format("METADATA_SIZE: {} is outside 2 MiB to 16 GiB", format_size(metadata_size)));
    auto options = session.call_options();
    if (!args.block_size.empty()) {
        const auto block_size = parse_size(args.block_size, "--block-size");
        if (block_size == 0 || block_size % (64 * kib) != 0 || block_size > gib)
            throw UsageError(fmt::format("--block-size: {} is not a multiple of 64 KiB up to 1 GiB", args.block_size));
        options.set("block_size", block_size);
    }
    if (args.low_water_mark)
        options.set("low_water_mark", *args.low_water_mark);
    if (args.error_if_no_space)
        options.set("error_if_no_space", true);

    const auto pool = session.client().pool(pool_name);
    const auto path = session.client().create_thin_pool(pool.path, name, data_size, metadata_size, options);
    const auto volume = session.client().volume_at(path);
    Output out;
    out.json["volume"] = to_json(volume);
    out.text = fmt::format("created thin pool {} ({} of data)\n", volume_label(volume), format_size(data_size));
    return out;
}

vc::VolumeInfo thin_pool_volume(Session& session, const std::string& target)
{
    check_volume_target(target);
    auto volume = session.volume(target);
    if (!volume.thin_pool)
        throw vc::NotSupported("", fmt::format("{} is a {} volume, not a thin pool", volume_label(volume), volume.kind));
    return volume;
}

Output thin(Session& session, const std::string& target, const std::string& name, const std::string& size_text)
{
    check_volume_target(target);
    const auto size = parse_size(size_text, "SIZE");
    if (size == 0)
        throw UsageError("SIZE: a thin volume needs more than 0 bytes");
    const auto pool = thin_pool_volume(session, target);
    const auto path = session.client().create_thin(pool.path, name, size, session.call_options());
    const auto volume = session.client().volume_at(path);
    Output out;
    out.json["volume"] = to_json(volume);
    out.text = fmt::format("created thin volume {} ({})\n", volume_label(volume), format_size(volume.size));
    return out;
}

Output reserve(Session& session, const std::string& target)
{
    const auto pool = thin_pool_volume(session, target);
    const auto held = session.client().reserve_metadata_snap(pool.path, session.call_options());
    Output out;
    out.json = {{"object", pool.path},
                {"held_root", held.held_root},
                {"metadata_device", held.metadata_device},
                {"transaction_id", held.transaction_id}};
    out.text = fmt::format("held metadata root {} of {} at transaction {}\n  thin_dump -m {} {}\n", held.held_root,
                           held.metadata_device, held.transaction_id, held.held_root, held.metadata_device);
    return out;
}

Output release(Session& session, const std::string& target)
{
    const auto pool = thin_pool_volume(session, target);
    session.client().release_metadata_snap(pool.path, session.call_options());
    Output out;
    out.json = {{"object", pool.path}, {"released", true}};
    out.text = fmt::format("released the held metadata snapshot of {}\n", volume_label(pool));
    return out;
}

}  // namespace

void add_thin_commands(CLI::App& app, std::vector<Command>& commands)
{
    auto pool_args = std::make_shared<ThinPoolArgs>();
    auto* pool_app = app.add_subcommand("thin-pool", "Create a thin pool volume");
    pool_app->add_option("volume", pool_args->target, "POOL/NAME")->required();
    add_size_option(*pool_app, "data-size", pool_args->data_size, "Data space")->required();
    add_size_option(*pool_app, "metadata-size", pool_args->metadata_size, "Metadata space, 2M to 16G")->required();
    add_size_option(*pool_app, "--block-size", pool_args->block_size, "Thin block, a multiple of 64K (default 64K)");
    pool_app->add_option("--low-water-mark", pool_args->low_water_mark, "Free blocks below which the pool raises an event");
    pool_app->add_flag("--error-if-no-space", pool_args->error_if_no_space, "Fail writes at once when the data space is full");
    commands.push_back({pool_app, [pool_args](Session& s) { return thin_pool(s, *pool_args); }});

    auto thin_target = std::make_shared<std::string>();
    auto thin_name = std::make_shared<std::string>();
    auto thin_size = std::make_shared<std::string>();
    auto* thin_app = app.add_subcommand("thin", "Create a thin volume in a thin pool");
    thin_app->add_option("thin-pool", *thin_target, "POOL/THINPOOL")->required();
    thin_app->add_option("name", *thin_name, "The thin volume's name")->required();
    add_size_option(*thin_app, "size", *thin_size, "Virtual size")->required();
    commands.push_back(
        {thin_app, [thin_target, thin_name, thin_size](Session& s) { return thin(s, *thin_target, *thin_name, *thin_size); }});

    auto reserve_target = std::make_shared<std::string>();
    auto* reserve_app = app.add_subcommand("reserve-metadata-snap", "Hold a metadata snapshot of a thin pool for thin_dump -m");
    reserve_app->add_option("thin-pool", *reserve_target, "POOL/THINPOOL")->required();
    commands.push_back({reserve_app, [reserve_target](Session& s) { return reserve(s, *reserve_target); }});

    auto release_target = std::make_shared<std::string>();
    auto* release_app = app.add_subcommand("release-metadata-snap", "Drop a thin pool's held metadata snapshot");
    release_app->add_option("thin-pool", *release_target, "POOL/THINPOOL")->required();
    commands.push_back({release_app, [release_target](Session& s) { return release(s, *release_target); }});
}

}  // namespace volumectl
