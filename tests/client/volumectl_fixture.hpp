#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bus_fixture.hpp"
#include "volumectl_runner.hpp"

namespace volumes::test {

// A bus test (fresh volumesd by bus activation, loop devices cleaned up after) that drives
// volumesd through the installed volumectl.
class VolumectlTest : public BusTest {
protected:
    // volumectl create-pool <name> on `loops` new loop devices of `size` bytes each; its JSON.
    nlohmann::json create_pool_with_volumectl(const std::string& name, int loops, std::uint64_t size = 64 * mib);

    // volumectl create --raid1 --wait; the volume's JSON once in sync.
    nlohmann::json create_synced_raid1(const std::string& target, std::uint64_t size, int images);

    // The volume's JSON from volumectl show.
    nlohmann::json show_volume(const std::string& target);

    // volumectl `arguments` exits with `status`, and no byte of a loop, dm table or object changed.
    void expect_refused_unchanged(const std::vector<std::string>& arguments, int status);
};

// The number after the last "/" of a job's object path.
std::string job_number(const std::string& job_path);

}  // namespace volumes::test
