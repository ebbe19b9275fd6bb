#include "kmod/kernel_targets.hpp"

#include <libdevmapper.h>

#include "kmod/dm_task.hpp"

namespace volumes::kmod {

Result<TargetVersions> query_target_versions()
{
    DmTask task(DM_DEVICE_LIST_VERSIONS, "list target versions");
    if (auto ran = task.run(); !ran)
        return std::unexpected(ran.error());
    std::map<std::string, TargetVersion, std::less<>> versions;
    const dm_versions* entry = dm_task_get_versions(task.get());
    while (entry) {
        versions[entry->name] = TargetVersion{entry->version[0], entry->version[1], entry->version[2]};
        if (entry->next == 0)
            break;
        entry = reinterpret_cast<const dm_versions*>(reinterpret_cast<const char*>(entry) + entry->next);
    }
    return TargetVersions(std::move(versions));
}

Result<KernelTargets> KernelTargets::open()
{
    auto loader = ModuleLoader::open();
    if (!loader)
        return std::unexpected(loader.error());
    if (auto loaded = loader->load("dm_mod"); !loaded)
        return std::unexpected(loaded.error());
    auto versions = query_target_versions();
    if (!versions)
        return std::unexpected(versions.error());
    return KernelTargets(std::move(*loader), std::move(*versions));
}

Result<void> KernelTargets::require(Feature feature)
{
    const auto& needed = requirement_of(feature);
    if (!needed.helper_module.empty())
        if (auto loaded = loader_.load(needed.helper_module); !loaded)
            return loaded;
    if (!versions_.of(needed.target)) {
        if (auto loaded = loader_.load(needed.module); !loaded)
            return loaded;
        auto refreshed = query_target_versions();
        if (!refreshed)
            return std::unexpected(refreshed.error());
        versions_ = std::move(*refreshed);
    }
    return check_feature(versions_, feature);
}

}  // namespace volumes::kmod
