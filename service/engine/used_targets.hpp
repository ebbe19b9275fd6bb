#pragma once

#include <map>
#include <string>

#include "kmod/target_version.hpp"

namespace volumes::engine {

// The dm targets the engine's tables use, among those the kernel has registered, name to
// "major.minor.patch".
std::map<std::string, std::string> used_target_versions(const kmod::TargetVersions& versions);

}  // namespace volumes::engine
