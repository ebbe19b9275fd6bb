#include "service/engine/used_targets.hpp"

#include <array>
#include <string_view>

namespace volumes::engine {

namespace {

// What kmod/tables builds.
constexpr std::array<std::string_view, 8> used_targets{
    "linear", "error", "raid", "snapshot", "snapshot-origin", "snapshot-merge", "thin-pool", "thin",
};

}  // namespace

std::map<std::string, std::string> used_target_versions(const kmod::TargetVersions& versions)
{
    std::map<std::string, std::string> used;
    for (const auto target : used_targets)
        if (const auto version = versions.of(target))
            used.emplace(target, version->to_string());
    return used;
}

}  // namespace volumes::engine
