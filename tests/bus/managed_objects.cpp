#include "managed_objects.hpp"

#include <stdexcept>

#include <fmt/core.h>

#include "calls.hpp"
#include "object_paths.hpp"

namespace volumes::test {

nlohmann::json managed_objects_json(std::optional<Credentials> as)
{
    const auto result = run_process({"busctl", "--system", "--json=short", "call", volumes_bus_name, manager_path,
                                     object_manager_interface, "GetManagedObjects"},
                                    as);
    if (result.status != 0)
        throw std::runtime_error(fmt::format("busctl GetManagedObjects as uid {}: {}", as ? as->uid : 0, result.describe()));
    const auto reply = nlohmann::json::parse(result.out);
    if (reply.value("type", "") != "a{oa{sa{sv}}}" || !reply.contains("data") || reply["data"].size() != 1)
        throw std::runtime_error("unexpected GetManagedObjects reply from busctl: " + result.out);
    return reply["data"][0];
}

nlohmann::json without_jobs(nlohmann::json objects)
{
    const std::string jobs = fmt::format("{}/jobs/", manager_path);
    for (auto it = objects.begin(); it != objects.end();) {
        if (it.key().starts_with(jobs))
            it = objects.erase(it);
        else
            ++it;
    }
    return objects;
}

namespace {

void compare_level(const nlohmann::json& before, const nlohmann::json& after, const std::string& where, int depth,
                   std::vector<std::string>& out)
{
    for (const auto& [key, value] : before.items()) {
        const std::string here = where.empty() ? key : where + " " + key;
        if (!after.contains(key))
            out.push_back(fmt::format("{} went away (was {})", here, value.dump()));
        else if (depth > 1 && value.is_object() && after[key].is_object())
            compare_level(value, after[key], here, depth - 1, out);
        else if (value != after[key])
            out.push_back(fmt::format("{} changed from {} to {}", here, value.dump(), after[key].dump()));
    }
    for (const auto& [key, value] : after.items())
        if (!before.contains(key))
            out.push_back(fmt::format("{}{} appeared: {}", where.empty() ? "" : where + " ", key, value.dump()));
}

}  // namespace

std::vector<std::string> json_differences(const nlohmann::json& before, const nlohmann::json& after)
{
    std::vector<std::string> out;
    compare_level(before, after, "", 3, out);
    return out;
}

}  // namespace volumes::test
