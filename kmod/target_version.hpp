#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>


namespace volumes::kmod {

struct TargetVersion {
    std::uint32_t major = 0;
    std::uint32_t minor = 0;
    std::uint32_t patch = 0;

    std::string to_string() const;
    auto operator<=>(const TargetVersion&) const = default;
};

// The targets the running kernel has registered, by name, as DM_DEVICE_LIST_VERSIONS reports.
class TargetVersions {
public:
    TargetVersions() = default;
    explicit TargetVersions(std::map<std::string, TargetVersion, std::less<>> versions)
        : versions_(std::move(versions))
    {
    }

    std::optional<TargetVersion> of(std::string_view target) const;
    const std::map<std::string, TargetVersion, std::less<>>& all() const { return versions_; }

private:
    std::map<std::string, TargetVersion, std::less<>> versions_;
};

}  // namespace volumes::kmod
