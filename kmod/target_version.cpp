#include "kmod/target_version.hpp"

#include <fmt/core.h>

namespace volumes::kmod {

std::string TargetVersion::to_string() const
{
    return fmt::format("{}.{}.{}", major, minor, patch);
}

std::optional<TargetVersion> TargetVersions::of(std::string_view target) const
{
    const auto found = versions_.find(target);
    if (found == versions_.end())
        return std::nullopt;
    return found->second;
}

}  // namespace volumes::kmod
