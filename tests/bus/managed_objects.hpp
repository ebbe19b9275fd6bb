#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace volumes::test {

// GetManagedObjects as `busctl --json=short` prints it (object → interface → property →
// {type, data}), called as root or with the given credentials. Throws if busctl fails.
nlohmann::json managed_objects_json(std::optional<Credentials> as = std::nullopt);

// The same without the job objects (/org/example/Volumes/jobs/...).
nlohmann::json without_jobs(nlohmann::json objects);

// Object by object, interface by interface, property by property; empty when equal.
std::vector<std::string> json_differences(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace volumes::test
