#include "live_table_checks.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/core.h>

#include "service/executor/live_state_reader.hpp"

namespace volumes::kmod {

void PrintTo(const TableLine& line, std::ostream* out)
{
    *out << '"' << line.to_string() << '"';
}

}  // namespace volumes::kmod

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
    std::map<std::string, std::string> number_of;
    for (const auto& device : live->devices)
        number_of[device.uuid] = device.number.to_string();
    // An origin's own device (its "-real") is shared by design (kernel-targets.md §2.1): one
    // snapshot-origin or snapshot-merge and any snapshots stack on it, each naming it as its
    // <origin_dev>, the first parameter. Any other sharing is a problem.
    struct Stacker {
        std::string name;
        bool shares_as_origin = false;
        bool is_origin = false;
    };
    std::map<std::string, std::vector<Stacker>> stacked_by;
    std::map<std::string, std::vector<Mapping>> linear_by_device;
    for (const auto& device : live->devices) {
        for (const auto& child : device.children) {
            Stacker stacker{device.name};
            if (device.table.size() == 1) {
                const auto& line = device.table.front();
                std::istringstream params(line.params);
                std::string first;
                params >> first;
                const bool snapshot_family = line.target_type == "snapshot-origin" ||
                                             line.target_type == "snapshot" || line.target_type == "snapshot-merge";
                stacker.shares_as_origin = snapshot_family && first == number_of[child] &&
                                           child.size() > 5 && child.ends_with("-real");
                stacker.is_origin = line.target_type != "snapshot";
            }
            stacked_by[child].push_back(stacker);
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
    for (const auto& [child, stackers] : stacked_by) {
        if (stackers.size() < 2)
            continue;
        const auto origins = std::count_if(stackers.begin(), stackers.end(), [](const Stacker& s) { return s.is_origin; });
        const bool all_as_origin =
            std::all_of(stackers.begin(), stackers.end(), [](const Stacker& s) { return s.shares_as_origin; });
        if (all_as_origin && origins <= 1)
            continue;
        std::string names;
        for (const auto& stacker : stackers)
            names += (names.empty() ? "" : ", ") + stacker.name;
        problems.push_back(fmt::format("{} is stacked on by {}", child, names));
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
