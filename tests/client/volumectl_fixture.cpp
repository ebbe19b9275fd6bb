#include "volumectl_fixture.hpp"

#include <fmt/core.h>

#include "state_snapshot.hpp"

namespace volumes::test {

nlohmann::json VolumectlTest::create_pool_with_volumectl(const std::string& name, int loops, std::uint64_t size)
{
    std::vector<std::string> args{"create-pool", name};
    for (int i = 0; i < loops; ++i)
        args.push_back(new_loop(size).path());
    return volumectl_json(args);
}

nlohmann::json VolumectlTest::create_synced_raid1(const std::string& target, std::uint64_t size, int images)
{
    return volumectl_json({"create", "--raid1", "--images", std::to_string(images), "--wait", target, std::to_string(size)});
}

void VolumectlTest::expect_refused_unchanged(const std::vector<std::string>& arguments, int status)
{
    const auto before = take_snapshot(*bus, loop_paths());
    const auto refused = volumectl(arguments);
    EXPECT_EQ(refused.status, status) << refused.describe();
    const auto changed = differences(before, take_snapshot(*bus, loop_paths()));
    EXPECT_TRUE(changed.empty()) << "volumectl " << arguments.front() << " changed: " << changed.front();
}

nlohmann::json VolumectlTest::show_volume(const std::string& target)
{
    return volumectl_json({"show", target}).at("volume");
}

std::string job_number(const std::string& job_path)
{
    return job_path.substr(job_path.rfind('/') + 1);
}

}  // namespace volumes::test
