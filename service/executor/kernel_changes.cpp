#include "service/executor/kernel_changes.hpp"

#include <algorithm>
#include <ranges>

#include "kmod/device_mapper.hpp"
#include "service/executor/kernel_failure.hpp"

namespace volumes::executor {
namespace {

namespace dm = kmod::dm;

kmod::DeviceId by_uuid(const std::string& uuid)
{
    return kmod::DeviceId::by_uuid(uuid);
}

}  // namespace

Result<void> KernelChanges::create(const planner::Create& step)
{
    kmod::UdevCookie unused;
    auto created = dm::create({step.name, step.uuid, step.read_only}, {}, unused);
    if (!created)
        return kernel_failure(created.error());
    created_.push_back(step.uuid);
    return {};
}

Result<void> KernelChanges::load(const std::string& uuid, const kmod::Table& table, bool read_only,
                                 bool stale_inactive)
{
    if (stale_inactive)
        if (auto cleared = dm::clear_inactive(by_uuid(uuid)); !cleared)
            return kernel_failure(cleared.error());
    if (auto loaded = dm::reload(by_uuid(uuid), table, read_only); !loaded)
        return kernel_failure(loaded.error());
    loaded_.push_back(uuid);
    return {};
}

Result<void> KernelChanges::resume_new_child(const planner::ResumeNewChild& step)
{
    if (auto resumed = dm::resume(by_uuid(step.uuid), udev_.cookie(step.awaited), step.udev_identity); !resumed)
        return kernel_failure(resumed.error());
    if (step.grown_from)
        grown_.push_back(step);
    else
        resumed_new_.push_back(step.uuid);
    return {};
}

Result<void> KernelChanges::suspend(const planner::Suspend& step)
{
    auto suspended = dm::suspend(by_uuid(step.uuid), {.no_flush = step.no_flush, .skip_lockfs = step.skip_lockfs});
    if (!suspended)
        return kernel_failure(suspended.error());
    suspended_.push_back({step.uuid, step.udev_identity});
    return {};
}

std::vector<std::string> KernelChanges::revert()
{
    std::vector<std::string> problems;
    for (auto* cookie : {&udev_.awaited, &udev_.later})
        if (auto waited = cookie->wait(); !waited)
            problems.push_back(waited.error().message);
    // Before any resume, or the resume would make the new table live.
    for (const auto& uuid : loaded_)
        if (auto cleared = dm::clear_inactive(by_uuid(uuid)); !cleared)
            problems.push_back(cleared.error().message);
    kmod::UdevCookie cookie;
    for (const auto& grown : grown_) {
        auto reloaded = dm::reload(by_uuid(grown.uuid), *grown.grown_from, false);
        if (reloaded)
            reloaded = dm::resume(by_uuid(grown.uuid), cookie, grown.udev_identity);
        if (!reloaded)
            problems.push_back(reloaded.error().message);
    }
    for (const auto& device : std::views::reverse(suspended_)) {
        auto resumed = device.udev_identity ? dm::resume(by_uuid(device.uuid), cookie, *device.udev_identity)
                                            : dm::resume_keeping_udev_identity(by_uuid(device.uuid));
        if (!resumed)
            problems.push_back(resumed.error().message);
    }
    auto leftovers = created_;
    for (const auto& uuid : resumed_new_)
        if (std::find(created_.begin(), created_.end(), uuid) == created_.end())
            leftovers.push_back(uuid);
    for (const auto& uuid : std::views::reverse(leftovers))
        if (auto removed = dm::remove(by_uuid(uuid), cookie); !removed)
            problems.push_back(removed.error().message);
    if (auto waited = cookie.wait(); !waited)
        problems.push_back(waited.error().message);
    return problems;
}

}  // namespace volumes::executor
