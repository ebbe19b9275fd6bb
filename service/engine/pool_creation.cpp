#include "service/engine/pool_creation.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <set>

#include <fmt/core.h>

#include "service/devices/admitted_device.hpp"
#include "service/devices/member_candidate.hpp"
#include "service/engine/device_arguments.hpp"
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
    if (auto fits = model::check_dm_names_fit(name, {}); !fits)
        return std::unexpected(from_model(fits.error()));
    if (paths.empty())
        return fail(ErrorCode::InvalidArgument, "a pool needs at least one device; pass their paths, e.g. [\"/dev/sdb\"]");
    for (const auto& path : paths)
        if (auto checked = check_device_path(path); !checked)
            return checked;
    if (std::set<std::string>(paths.begin(), paths.end()).size() != paths.size())
        return fail(ErrorCode::InvalidArgument, "a device is listed twice");
    if (options.extent_size < metadata::kMiB || !std::has_single_bit(options.extent_size) ||
        options.extent_size > metadata::kMaxExtentSize)
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("the extent size must be a power of two from 1 MiB to 1 TiB, not {}", options.extent_size));
    return {};
}

// A device held O_EXCL from its checks to the last write of the creation, and the shared
// descriptor the engine keeps once it is a member.
struct Candidate {
    devices::AdmittedDevice device;
    std::vector<devices::Signature> signatures;  // what force erases
    devices::BlockDevice kept;
};

// Two paths of one device: the second exclusive open would fail as if another program held it.
Result<void> check_not_listed_twice(const std::string& path, const std::vector<Candidate>& admitted)
{
    const auto number = kmod::DeviceNumber::of_path(path);
    if (!number)
        return {};
    for (const auto& other : admitted)
        if (other.device.number() == *number)
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("{} and {} are the same device", other.device.path(), path));
    return {};
}

Result<std::vector<Candidate>> admit_candidates(const std::vector<std::string>& paths, const CreatePoolOptions& options)
{
    std::vector<Candidate> admitted;
    for (const auto& path : paths) {
        if (auto once = check_not_listed_twice(path, admitted); !once)
            return std::unexpected(once.error());
        auto device = devices::AdmittedDevice::open(path, true);
        if (!device)
            return std::unexpected(from_devices(device.error()));
        auto signatures = devices::check_admission(*device, options.force);
        if (!signatures)
            return std::unexpected(from_devices(signatures.error()));
        auto kept = device->open_shared(true);
        if (!kept)
            return std::unexpected(from_devices(kept.error()));
        admitted.push_back({std::move(*device), std::move(*signatures), std::move(*kept)});
    }
    return admitted;
}

Result<std::vector<metadata::Label>> plan_labels(const std::vector<Candidate>& candidates,
                                                 const model::Uuid& pool_uuid, std::uint64_t extent_size)
{
    std::vector<metadata::Label> labels;
    for (const auto& candidate : candidates) {
        const auto& device = candidate.device;
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

// Erases what force allows, formats each metadata area and writes each label, all through the
// admitted, exclusive descriptors.
Result<std::vector<metadata::MetadataArea>> write_labels(std::vector<Candidate>& candidates,
                                                         const std::vector<metadata::Label>& labels)
{
    for (auto& candidate : candidates)
        if (auto erased = devices::erase_signatures(candidate.device, candidate.signatures); !erased)
            return std::unexpected(from_devices(erased.error()));
    std::vector<metadata::MetadataArea> areas;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& device = candidates[i].device;
        auto area = metadata::MetadataArea::format(device.fd(), labels[i]);
        if (!area)
            return fail(ErrorCode::Failed, fmt::format("{}: {}", device.path(), area.error().message));
        if (auto written = metadata::write_label(device.fd(), labels[i]); !written)
            return fail(ErrorCode::Failed, fmt::format("{}: {}", device.path(), written.error().message));
        areas.push_back(std::move(*area));
    }
    return areas;
}

// The member the engine keeps: the shared descriptor and its area.
Result<OpenMember> kept_member(Candidate& candidate, const metadata::Label& label)
{
    auto area = metadata::MetadataArea::open(candidate.kept.fd(), label);
    if (!area)
        return fail(ErrorCode::Failed, fmt::format("{}: {}", candidate.kept.path(), area.error().message));
    return OpenMember{std::move(candidate.kept), std::move(*area)};
}

}  // namespace

Result<OpenMember> prepare_new_member(const model::Pool& pool, const std::string& path, bool force)
{
    if (auto checked = check_device_path(path); !checked)
        return std::unexpected(checked.error());
    auto candidates = admit_candidates({path}, {.force = force});
    if (!candidates)
        return std::unexpected(candidates.error());
    auto labels = plan_labels(*candidates, pool.uuid, pool.extent_size);
    if (!labels)
        return std::unexpected(labels.error());
    if (auto areas = write_labels(*candidates, *labels); !areas)
        return std::unexpected(areas.error());
    return kept_member(candidates->front(), labels->front());
}

Result<void> abandon_new_member(OpenMember& member)
{
    if (auto erased = metadata::erase_label(member.device.fd()); !erased)
        return fail(ErrorCode::Failed, fmt::format("{}: erasing its label: {}", member.device.path(),
                                                   erased.error().message));
    return {};
}

Result<std::unique_ptr<ManagedPool>> create_pool_on(const std::string& name, const std::vector<std::string>& paths,
                                                    const CreatePoolOptions& options)
{
    if (auto checked = check_request(name, paths, options); !checked)
        return std::unexpected(checked.error());
    auto candidates = admit_candidates(paths, options);
    if (!candidates)
        return std::unexpected(candidates.error());
    auto pool_uuid = model::Uuid::generate();
    if (!pool_uuid)
        return std::unexpected(from_metadata(pool_uuid.error()));
    auto labels = plan_labels(*candidates, *pool_uuid, options.extent_size);
    if (!labels)
        return std::unexpected(labels.error());

    auto areas = write_labels(*candidates, *labels);
    if (!areas)
        return std::unexpected(areas.error());

    auto managed = std::make_unique<ManagedPool>();
    managed->pool = {*pool_uuid, name, options.owner, options.extent_size, {}, {}};
    for (const auto& label : *labels)
        managed->pool.members.push_back({label.member_uuid, label.extent_count()});
    auto document = metadata::encode_document({1, *pool_uuid, model::encode_pool(managed->pool)});
    if (!document)
        return std::unexpected(from_metadata(document.error()));
    for (std::size_t i = 0; i < areas->size(); ++i) {
        auto written = (*areas)[i].write_precommitted(*document, 1);
        if (written)
            written = (*areas)[i].commit();
        if (!written)
            return fail(ErrorCode::Failed, fmt::format("{}: {}", (*candidates)[i].device.path(), written.error().message));
    }

    // The exclusive descriptors close when `candidates` goes; the engine keeps shared ones,
    // as it does for the members it finds at start-up.
    for (std::size_t i = 0; i < candidates->size(); ++i) {
        auto member = kept_member((*candidates)[i], (*labels)[i]);
        if (!member)
            return std::unexpected(member.error());
        managed->members.push_back(std::move(*member));
    }
    managed->seq = 1;
    return managed;
}

}  // namespace volumes::engine
