#pragma once

#include <string>
#include <vector>

#include <volumes/client/objects.hpp>

// What volumectl prints for people (without --json).
namespace volumectl {

std::string describe(const volumes::client::PoolInfo& pool);
std::string describe(const volumes::client::VolumeInfo& volume);
std::string describe(const volumes::client::JobInfo& job);

std::string pool_table(const std::vector<volumes::client::PoolInfo>& pools);
std::string volume_table(const std::vector<volumes::client::VolumeInfo>& volumes);
std::string job_table(const std::vector<volumes::client::JobInfo>& jobs);

// "tank/data"
std::string volume_label(const volumes::client::VolumeInfo& volume);

}  // namespace volumectl
