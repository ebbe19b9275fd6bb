#pragma once

#include <nlohmann/json.hpp>
#include <volumes/client/objects.hpp>

// The --json shapes (stable; documented in volumectl.1, JSON OUTPUT). Object paths that
// the contract writes as "/" for "none" are null here.
namespace volumectl {

nlohmann::json to_json(const volumes::client::PoolInfo& pool);
nlohmann::json to_json(const volumes::client::VolumeInfo& volume);
nlohmann::json to_json(const volumes::client::JobInfo& job);

}  // namespace volumectl
