#include "service/engine/pool_creation.hpp"

#include <algorithm>
#include <bit>
#include <set>

#include <fmt/core.h>

#include "service/devices/member_candidate.hpp"
#include "service/engine/error_translation.hpp"
#include "service/metadata/document.hpp"
#include "service/metadata/label.hpp"
#include "service/model/names.hpp"
#include "service/model/pool_codec.hpp"

namespace volumes::engine {

namespace {

Result<void> check_request(const std::string& name, const std::vector<std::string>& paths,
                           const CreatePoolOptions& options)
{
    if (auto checked = model::check_pool_name(name); !checked)
        return std::unexpected(from_model(checked.error()));
    if (paths.empty())
        return fail(ErrorCode::InvalidArgument, "a pool needs at least one device");
    if (std::set<std::string>(paths.begin(), paths.end()).size() != paths.size())
        return fail(ErrorCode::InvalidArgument, "a device is listed twice");
    if (options.extent_size < metadata::kMiB || !std::has_single_bit(options.extent_size))
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("the extent size must be a power of two of at least 1 MiB, not {}", options.extent_size));
    return {};
}

Result<std::vector<devices::BlockDevice>> open_candidates(const std::vector<std::string>& paths,
                                                          const CreatePoolOptions& options)
{
    for (const auto& path : paths) {
        if (auto unused = devices::check_unused(path); !unused)
            return std::unexpected(from_devices(unused.error()));
        if (!options.force)
            if (auto prepared = devices::prepare_member(path, false); !prepared)
                return std::unexpected(from_devices(prepared.error()));
    }
    std::vector<devices::BlockDevice> opened;
    for (const auto& path : paths) {
        auto device = devices::BlockDevice::open(path, true);
        if (!device)
            return std::unexpected(from_devices(device.error()));
        for (const auto& other : opened)
            if (other.number() == device->number())
                return fail(ErrorCode::InvalidArgument,
                            fmt::format("{} and {} are the same device", other.path(), device->path()));
        opened.push_back(std::move(*device));
    }
    return opened;
}

Result<std::vector<metadata::Label>> plan_labels(const std::vector<devices::BlockDevice>& devices,
                                                 const model::Uuid& pool_uuid, std::uint64_t extent_size)
{
    std::vector<metadata::Label> labels;
    for (const auto& device : devices) {
        auto member_uuid = model::Uuid::generate();
        if (!member_uuid)
            return std::unexpected(from_metadata(member_uuid.error()));
        auto label = metadata::plan_label(pool_uuid, *member_uuid, device.size(), extent_size);
        if (!label)
            return fail(from_metadata(label.error()).code, fmt::format("{}: {}", device.path(), label.error().message));
        labels.push_back(*label);
    }
    return labels;
}

}  // namespace

Result<std::unique_ptr<ManagedPool>> create_pool_on(const std::string& name, const std::vector<std::string>& paths,
                                                    const CreatePoolOptions& options)
{
    if (auto checked = check_request(name, paths, options); !checked)
        return std::unexpected(checked.error());
    auto devices = open_candidates(paths, options);
    if (!devices)
        return std::unexpected(devices.error());
    auto pool_uuid = model::Uuid::generate();
    if (!pool_uuid)
        return std::unexpected(from_metadata(pool_uuid.error()));
    auto labels = plan_labels(*devices, *pool_uuid, options.extent_size);
    if (!labels)
        return std::unexpected(labels.error());

    if (options.force)
        for (const auto& path : paths)
            if (auto prepared = devices::prepare_member(path, true); !prepared)
                return std::unexpected(from_devices(prepared.error()));

    auto managed = std::make_unique<ManagedPool>();
    managed->pool = {*pool_uuid, name, options.owner, options.extent_size, {}, {}};
    for (std::size_t i = 0; i < devices->size(); ++i) {
        auto& device = (*devices)[i];
        const auto& label = (*labels)[i];
        auto area = metadata::MetadataArea::format(device.fd(), label);
        if (!area)
            return fail(ErrorCode::Failed, fmt::format("{}: {}", device.path(), area.error().message));
        if (auto written = metadata::write_label(device.fd(), label); !written)
            return fail(ErrorCode::Failed, fmt::format("{}: {}", device.path(), written.error().message));
        managed->pool.members.push_back({label.member_uuid, label.extent_count()});
        managed->members.push_back({std::move(device), std::move(*area)});
    }

    auto document = metadata::encode_document({1, *pool_uuid, model::encode_pool(managed->pool)});
    if (!document)
        return std::unexpected(from_metadata(document.error()));
    for (auto& member : managed->members) {
        auto written = member.area.write_precommitted(*document, 1);
        if (written)
            written = member.area.commit();
        if (!written)
            return fail(ErrorCode::Failed, fmt::format("{}: {}", member.device.path(), written.error().message));
    }
    managed->seq = 1;
    return managed;
}

}  // namespace volumes::engine
