#include "live_table_checks.hpp"

#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/core.h>

#include "service/executor/live_state_reader.hpp"

namespace volumes::test {

namespace {

struct Mapping {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::string owner;
};

}  // namespace

std::vector<std::string> shared_sub_devices(const std::string& uuid_prefix)
{
    auto live = executor::read_live_state(uuid_prefix);
    if (!live)
        throw std::runtime_error(live.error().message);
    std::vector<std::string> problems;
    std::map<std::string, std::string> stacked_by;
    std::map<std::string, std::vector<Mapping>> linear_by_device;
    for (const auto& device : live->devices) {
        for (const auto& child : device.children) {
            auto [it, inserted] = stacked_by.emplace(child, device.name);
            if (!inserted)
                problems.push_back(fmt::format("{} is stacked on by both {} and {}", child, it->second, device.name));
        }
        for (const auto& line : device.table) {
            if (line.target_type != "linear")
                continue;
            std::istringstream params(line.params);
            std::string target;
            std::uint64_t offset = 0;
            params >> target >> offset;
            auto& mappings = linear_by_device[target];
            for (const auto& other : mappings)
                if (offset < other.end && other.start < offset + line.length)
                    problems.push_back(fmt::format("{} and {} both map sectors of {} around {}", other.owner,
                                                   device.name, target, offset));
            mappings.push_back({offset, offset + line.length, device.name});
        }
    }
    return problems;
}

std::map<std::string, kmod::Table> live_tables(const std::string& uuid_prefix)
{
    auto live = executor::read_live_state(uuid_prefix);
    if (!live)
        throw std::runtime_error(live.error().message);
    std::map<std::string, kmod::Table> tables;
    for (const auto& device : live->devices)
        tables.emplace(device.name, device.table);
    return tables;
}

}  // namespace volumes::test
